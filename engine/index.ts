// The offline engine: runs a Pulumi program the way `pulumi preview`/`up`/`refresh`
// do, without the Pulumi CLI. Resources go to @pulumi/pulumi's own dynamic-provider
// host (a child process) over the engine's gRPC calls (Configure, Check, Diff,
// Create, Read, Update, Delete); the program runs under `pulumi.runtime.setMocks`,
// whose monitor hands each registration to the engine's step logic here. State is
// plain JSON, like a stack checkpoint. `npm run demo` uses it where no Pulumi CLI
// can be had, and the tests use it throughout (test/harness re-exports it).
//
//   const host = await startHost({ cwd, config: { "realtimekit:accountId": "acc" } });
//   const req = createRequire(__filename);  // programs must use Node's require, not vitest's
//   const plan = await runProgram(program, { host, preview: true });  // pulumi preview
//   const { state, steps, outputs } = await runProgram(program, { host });  // pulumi up
//   await runProgram(program, { host, state });       // steps are all "same"
//   await refresh(state, host);                       // pulumi refresh
//   await host.stop();
//
// Or the package's own plugin (engine/plugin.ts) for `realtimekit:index:*` resources, as a program
// with a generated SDK registers them (and importResource for `pulumi import`):
//
//   const plugin = await startPlugin({ cwd, config: { "realtimekit:accountId": "acc" } });
//   await runProgram(program, { plugin });
export * from "./host";
export * from "./program";
export * from "./plugin";
export * from "./import";
