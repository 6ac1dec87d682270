// Webpack config shared by every service: bundles the service and the workspace libs it imports
// (resolving the @platform/* paths), leaves node_modules external, emits main.js and migrate.js.
const { join } = require('node:path');
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');

module.exports = function serviceWebpackConfig(serviceDir) {
  const name = require('node:path').basename(serviceDir);
  return {
    output: { path: join(serviceDir, '../../dist/services', name), clean: true },
    devtool: 'source-map',
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: join(serviceDir, 'src/main.ts'),
        additionalEntryPoints: [
          { entryName: 'migrate', entryPath: join(serviceDir, 'src/migrate.ts') },
        ],
        tsConfig: join(serviceDir, 'tsconfig.app.json'),
        outputHashing: 'none',
        optimization: false,
        sourceMap: true,
        generatePackageJson: false,
        // Type errors are caught by the typecheck target; the bundle step only transpiles.
        skipTypeChecking: true,
      }),
    ],
  };
};
