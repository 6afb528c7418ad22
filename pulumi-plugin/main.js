// @ts-nocheck
// The plugin's entry under the Node.js language host (PulumiPlugin.yaml). Before it requires
// this file, @pulumi/pulumi's run-plugin registers ts-node with the tsconfig.json of the Pulumi
// *project* (its working directory): with `allowJs` that hook compiles every .js file loaded
// outside node_modules, ../dist included, with the project's options, and with `checkJs`
// type-checks it, so a type error ends the plugin before it prints its port. This file goes
// through that hook too (hence @ts-nocheck, and nothing here a compiler option could change);
// the plugin's own files are then loaded as Node loads them. ts-node's .js hook (its
// registerExtension) replaces the module's `_compile` with one that compiles first, then calls
// Node's loader: the module here keeps Node's own `_compile`, so the hook's replacement is ignored.
"use strict";
const Module = require("module");

const load = Module._extensions[".js"];
const compile = Module.prototype._compile;
Module._extensions[".js"] = function (module, filename) {
  Object.defineProperty(module, "_compile", { configurable: true, get: () => compile, set: () => undefined });
  try {
    return load.call(this, module, filename);
  } finally {
    delete module._compile;
  }
};

require("../dist/plugin/cli.js");
