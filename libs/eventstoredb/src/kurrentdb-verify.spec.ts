import { verifyLog } from "@strata/core";
import { StandInKurrentDb } from "../test/kurrentdb-stand-in";
import { KurrentDbEventStore } from "./kurrentdb-event-store";

// `verify` through the KurrentDB adapter, at the client boundary: the stand-in plays a server
// whose log lost an event (a scavenge or a restore gone wrong), which no test can make a real one do here.

const open = (server: StandInKurrentDb): KurrentDbEventStore =>
  new KurrentDbEventStore(server.client(), {
    logger: {
      log: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    },
  });

describe("verify through the KurrentDB adapter", () => {
  it("reads the whole log in pages and finds it sound, saying the store keeps no checksums and positions are not counted", async () => {
    const server = new StandInKurrentDb();
    const store = open(server);
    for (let i = 0; i < 7; i++)
      await store.appendToStream(`Account-${i % 2}`, [
        { type: "Deposited", data: { amount: i } },
      ]);
    const progress: (number | null)[] = [];
    const result = await verifyLog(store, {
      pageSize: 3,
      onProgress: (_done, total) => progress.push(total),
    });
    expect(result).toEqual({
      events: 7,
      streams: 2,
      checksums: false,
      unchecked: 0,
      positionsChecked: false,
      storageChecked: false,
      problems: [],
    });
    expect(progress.every((total) => total === null)).toBe(true);
    expect(
      server.requests.filter((request) => request.op === "readAll").length,
    ).toBeGreaterThanOrEqual(3);
  });

  it("names an event missing from a stream by the revision gap the next one leaves", async () => {
    const server = new StandInKurrentDb();
    const store = open(server);
    for (let i = 0; i < 6; i++)
      await store.appendToStream(`Account-${i % 2}`, [
        { type: "Deposited", data: { amount: i } },
      ]);
    // Revision 1 of Account-1 (the fourth event) is gone from the log.
    const lost = server.log.findIndex(
      (event) => event.streamId.endsWith("Account-1") && event.revision === 1n,
    );
    expect(lost).toBeGreaterThan(0);
    server.log.splice(lost, 1);
    const result = await verifyLog(store, { pageSize: 2 });
    expect(result.events).toBe(5);
    expect(result.problems).toEqual([
      {
        position: expect.any(String) as unknown,
        streamId: "Account-1",
        revision: 2n,
        reason: "revision 2 follows 0: revisions 1..1 are missing",
      },
    ]);
  });
});
