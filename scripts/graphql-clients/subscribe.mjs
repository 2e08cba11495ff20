// Subscribes to a hub over graphql-transport-ws with the graphql-ws client and prints each
// result as one JSON line; exits 0 after COUNT results, 1 on an error or after TIMEOUT_MS.
//
//   node subscribe.mjs ws://127.0.0.1:8080/graphql 'subscription { eventsChanged { id } }' 5 30000
//
// Prints `connected` once the server acknowledged the connection.
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [url, query, count = "1", timeoutMs = "30000"] = process.argv.slice(2);
if (!url || !query) {
  console.error("usage: node subscribe.mjs WS_URL QUERY [COUNT] [TIMEOUT_MS]");
  process.exit(2);
}

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  retryAttempts: 0,
  on: { connected: () => console.log("connected") },
});

const timer = setTimeout(() => {
  console.error(`timed out after ${timeoutMs} ms`);
  process.exit(1);
}, Number(timeoutMs));

let seen = 0;
client.subscribe(
  { query },
  {
    next: (result) => {
      console.log(JSON.stringify(result));
      seen += 1;
      if (seen >= Number(count)) {
        clearTimeout(timer);
        client.dispose();
        process.exit(0);
      }
    },
    error: (err) => {
      console.error(JSON.stringify(err, Object.getOwnPropertyNames(err ?? {})));
      process.exit(1);
    },
    complete: () => {
      console.error("the server completed the subscription early");
      process.exit(1);
    },
  },
);
