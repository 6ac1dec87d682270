module.exports = require('../../scripts/build/service-webpack.config.js')(__dirname);
