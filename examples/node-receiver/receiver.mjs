// Receives Signet's webhooks and verifies each one (Standard Webhooks) before trusting it.
//   npm ci && WEBHOOK_SECRET=whsec_… PORT=3000 node receiver.mjs
import express from "express";
import { Webhook } from "standardwebhooks";

const wh = new Webhook(process.env.WEBHOOK_SECRET); // the endpoint's secret, "whsec_…"
const app = express();

// express.raw keeps the body as the exact bytes Signet sent: the signature covers those bytes,
// and JSON parsed and serialised again would not match.
app.post("/signet", express.raw({ type: "application/json" }), (req, res) => {
  let event;
  try {
    event = wh.verify(req.body, req.headers); // checks signature and timestamp (5 min), returns the parsed body
  } catch (err) {
    console.log(`rejected: ${err.message}`);
    return res.sendStatus(400);
  }
  // The same webhook-id arrives again on a retry or recover: deduplicate on it.
  console.log(`${req.headers["webhook-id"]} ${event.type}: signature verified`);
  res.sendStatus(204);
});

const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/signet`);
});
