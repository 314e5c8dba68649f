// Nothing lost: an accepted order and its e-mail are stored together; a failed send stays in
// the outbox and is retried with backoff; a restart loses no acknowledged write; a retried
// send does not send twice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startWorker, api, advanceDays, outbox } from "../harness.mjs";
import { order, uniqueLabel } from "../fixtures.mjs";

test("a send that fails is kept, survives a restart and is sent once by cron", async () => {
  const email = `${uniqueLabel("outage")}@example.coop`;
  const down = await startWorker({ config: "tests/wrangler.mail-outage.toml" });
  const created = await api(down.url, "/api/v1/orders", { method: "POST", body: order({ owner: { email } }) });
  assert.equal(created.status, 201, created.text);

  // The send after the response fails (the first attempt, claimed when the message was
  // written); the message stays pending with the error and a later next attempt.
  let row;
  for (let i = 0; i < 50; i++) {
    [row] = await down.d1(`SELECT status, attempts, last_error, next_attempt_at, created_at FROM outbox WHERE to_addr = '${email}'`);
    if (row?.last_error) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.equal(row.status, "pending");
  assert.equal(row.attempts, 1);
  assert.ok(row.last_error, "the failure is recorded");
  assert.ok(row.next_attempt_at > row.created_at, "retried later, with backoff");

  // Restart on the same database with working mail: the order and its e-mail are still there.
  await down.stop({ keepState: true });
  const up = await startWorker({ state: down.state });
  const status = await api(up.url, `/api/v1/orders/${created.body.order_id}`);
  assert.equal(status.status, 200);
  assert.equal(status.body.status, "PROCESSING");

  await advanceDays(up.url, 1); // past the backoff; runs cron
  const messages = (await outbox(up.url)).filter((message) => message.to.includes(email));
  assert.equal(messages.length, 1, "one message, not a second copy");
  assert.equal(messages[0].status, "sent");
  assert.equal(messages[0].attempts, 2);

  // Another cron run sends nothing again.
  await advanceDays(up.url, 1);
  const again = (await outbox(up.url)).filter((message) => message.to.includes(email));
  assert.equal(again.length, 1);
  assert.equal(again[0].attempts, 2);
});
