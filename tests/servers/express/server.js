// The Express + cors test server for corsprobe (started by tests/support/node_server.py).
// Configuration: one JSON object in argv[2] (or the CORSPROBE_EXPRESS env var):
//   cors:          the options object passed to cors() as is (JSON: strings, arrays, booleans, numbers)
//   mount:         "app" (default): app.use(cors(opts)); "route": cors(opts) only on the GET/PUT/... routes,
//                  so OPTIONS gets Express's default OPTIONS answer; "none": no cors at all
//   preflight:     true: also app.options('*', cors(opts)) (the README's "enable pre-flight" line)
//   errorHandler:  true: an error handler that answers JSON 500 (keeps headers set by cors)
//   setup:         JavaScript run first with `app`, `require` and `corsOptions` in scope, verbatim (e.g. what
//                  `corsprobe suggest --layer express-cors` printed); replaces the mount of `cors`
//   guard:         "before" / "after": a middleware registered before (or after) cors answers 401 to /private
//                  without Authorization
// Routes: /items (GET, HEAD, POST, PUT, PATCH, DELETE) answer 200 JSON with X-Total-Count and X-Request-Id;
// /boom throws (Express's default handler answers 500 and clears the response's headers).
// Listens on 127.0.0.1, an ephemeral port; prints "listening PORT" on stdout.
'use strict';
const express = require('express');
const cors = require('cors');

const config = JSON.parse(process.argv[2] || process.env.CORSPROBE_EXPRESS || '{}');
// optionsExpr: a JavaScript expression for the options (a test merging a fix's object literal), else cors.
const options = config.optionsExpr ? new Function(`return (${config.optionsExpr});`)() : (config.cors || {}); // eslint-disable-line no-new-func
const mount = config.mount || 'app';
const app = express();

function guard(req, res, next) {
  return req.get('Authorization') ? next() : res.status(401).json({ error: 'unauthorized' });
}
if (config.guard === 'before') app.use('/private', guard);
if (config.setup) new Function('app', 'require', 'corsOptions', config.setup)(app, require, options); // eslint-disable-line no-new-func
else if (mount === 'app') app.use(cors(options));
if (config.guard === 'after') app.use('/private', guard);
if (config.preflight) app.options('*', cors(options));
const perRoute = mount === 'route' ? [cors(options)] : [];

function items(req, res) {
  res.set('X-Total-Count', '3');
  res.set('X-Request-Id', 'req-1');
  res.json({ items: [1, 2, 3], method: req.method });
}
for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
  app[method]('/items', ...perRoute, items);
  app[method]('/private', ...perRoute, items);
  app[method]('/boom', ...perRoute, () => { throw new Error('boom'); });
}
if (config.errorHandler) {
  // Four arguments: Express's error-handler signature. Headers already set (by cors) stay.
  app.use((err, req, res, next) => { res.status(500).json({ error: String(err.message) }); }); // eslint-disable-line no-unused-vars
}

const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
