// Test harness that drives Pulumi dynamic providers the way the engine does:
//   const host = await startHost({ cwd, config: { "realtimekit:accountId": "acc" } });
//   const req = createRequire(__filename);  // programs must use Node's require, not vitest's
//   const { state, steps, outputs } = await runProgram(() => { new (req("../dist/sdk").App)("a", {...}); }, { host });
//   await runProgram(sameProgram, { host, state });   // steps are all "same"
//   await refresh(state, host);                       // pulumi refresh
//   await host.stop();
export * from "./host";
export * from "./program";
