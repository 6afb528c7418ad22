// Preloaded into the benchmark's host processes by `npm run bench -- --cpu-prof DIR`:
// Node's own --cpu-prof is not allowed in NODE_OPTIONS, and a host ends by SIGTERM,
// which skips the exit hooks that would write its profile.
"use strict";
const fs = require("node:fs");
const inspector = require("node:inspector");
const path = require("node:path");

const dir = process.env.BENCH_CPU_PROF_DIR;
const session = new inspector.Session();
session.connect();
session.post("Profiler.enable", () => session.post("Profiler.start"));
process.once("SIGTERM", () => {
  session.post("Profiler.stop", (err, result) => {
    if (!err) fs.writeFileSync(path.join(dir, `${process.env.BENCH_CPU_PROF_NAME}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    process.exit(0);
  });
});
