// Name screening off the page's main thread (search.js starts it): parsing the index
// (search/names.json) and building the screener took over a second of a phone's main thread
// at 14,000 subjects, during which the page could not respond. The first message names the
// screening module and the index (addresses resolved by the page); each later one, a batch of
// queries and the threshold, answered with the matches of each, in order.

let ready = null;

self.addEventListener("message", async (event) => {
  const message = event.data;
  if (message.start) {
    ready = Promise.all([
      import(message.start.module),
      fetch(message.start.index).then((response) => {
        if (!response.ok) throw new Error(`${response.status}`);
        return response.json();
      }),
    ]).then(([module, index]) => new module.Screener(index));
    ready.then(
      (screener) => self.postMessage({ started: true, rules: screener.rules }),
      (error) => self.postMessage({ started: false, error: String(error) }),
    );
    return;
  }
  const screener = await ready;
  const matches = message.queries.map((query) => screener.screen(query, message.threshold));
  self.postMessage({ id: message.id, matches });
});
