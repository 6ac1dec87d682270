const base = require('../../scripts/build/service-webpack.config.js')(__dirname);

// Face recognition runs in worker threads: their script is a bundle entry of its own
// (face-worker.js beside main.js), found through the real __dirname at run time.
module.exports = {
  ...base,
  entry: { ...base.entry, 'face-worker': './src/recognition/worker/face-worker.ts' },
  node: { __dirname: false, __filename: false },
};
