// An independent v1a verifier (Standard Webhooks asymmetric signatures) on Node's own crypto, for
// V1aSignaturesVerifyWithNodeCryptoTest. Reads {"cases": [{public_key, id, timestamp, body_base64,
// signature_header}]} on stdin and prints one JSON array: for each case, whether any v1a entry of the
// header is that public key's ed25519 signature of "{id}.{timestamp}.{body}".
import { createPublicKey, verify } from "node:crypto";

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { cases } = JSON.parse(input);
  const results = cases.map((c) => {
    if (!c.public_key.startsWith("whpk_")) {
      throw new Error("not a whpk_ key: " + c.public_key);
    }
    const raw = Buffer.from(c.public_key.slice("whpk_".length), "base64");
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" });
    const signed = Buffer.concat([Buffer.from(`${c.id}.${c.timestamp}.`, "utf8"), Buffer.from(c.body_base64, "base64")]);
    return c.signature_header
      .split(" ")
      .filter((entry) => entry.startsWith("v1a,"))
      .some((entry) => verify(null, signed, key, Buffer.from(entry.slice("v1a,".length), "base64")));
  });
  process.stdout.write(JSON.stringify(results));
});
