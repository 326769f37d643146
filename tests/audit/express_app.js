// Express + the cors package for the audit tests: `node express_app.js '<cors options as JSON>'`.
// Listens on 127.0.0.1 (ephemeral port), prints the port, then one JSON line per request received
// (method and header names) on stdout. Test-only.
const express = require("express");
const cors = require("cors");

const options = JSON.parse(process.argv[2] || "{}");
const app = express();
app.use((req, res, next) => {
  process.stdout.write(JSON.stringify({ method: req.method, headers: Object.keys(req.headers) }) + "\n");
  next();
});
app.use(cors(options));
app.get("/items", (req, res) => res.json({ items: [] }));
const server = app.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + "\n");
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
