// Webpack config shared by every service: bundles the service with the workspace libs it imports
// (resolving the @platform/* paths of tsconfig.base.json), leaves node_modules external (Node 24
// loads the ESM-only NestJS 12 packages through require(esm)), emits main.js and migrate.js.
// ts-loader only transpiles: type errors are the typecheck target's job.
const { basename, join } = require('node:path');
const TsconfigPathsPlugin = require('tsconfig-paths-webpack-plugin');
const nodeExternals = require('webpack-node-externals');

module.exports = function serviceWebpackConfig(serviceDir) {
  const tsconfig = join(serviceDir, 'tsconfig.app.json');
  return {
    mode: 'production',
    target: 'node24',
    context: serviceDir,
    entry: { main: './src/main.ts', migrate: './src/migrate.ts' },
    output: {
      path: join(serviceDir, '../../dist/services', basename(serviceDir)),
      filename: '[name].js',
      clean: true,
    },
    devtool: 'source-map',
    // Class and function names feed Nest's DI and TypeORM metadata: keep them readable.
    optimization: { minimize: false },
    externalsPresets: { node: true },
    externals: [nodeExternals({ modulesDir: join(serviceDir, '../../node_modules') })],
    resolve: {
      extensions: ['.ts', '.js'],
      // The @platform/* paths live in the root tsconfig, relative to it.
      plugins: [
        new TsconfigPathsPlugin({ configFile: join(serviceDir, '../../tsconfig.base.json') }),
      ],
    },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          loader: 'ts-loader',
          options: { configFile: tsconfig, transpileOnly: true },
        },
      ],
    },
  };
};
