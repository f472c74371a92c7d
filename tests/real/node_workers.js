// Four worker_threads each sum squares and post the sum back.
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');
if (isMainThread) {
  const jobs = [1, 2, 3, 4].map((i) => new Promise((resolve, reject) => {
    const w = new Worker(__filename, { workerData: i * 100000 });
    w.on('message', resolve);
    w.on('error', reject);
  }));
  Promise.all(jobs).then((sums) => console.log(sums.join(',')));
} else {
  let s = 0;
  for (let i = 0; i < workerData; i++) s += i % 7;
  parentPort.postMessage(s);
}
