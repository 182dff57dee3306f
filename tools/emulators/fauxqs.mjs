// Starts fauxqs (SQS JSON protocol) on 127.0.0.1 only; its CLI would listen on every interface.
import { startFauxqs } from "fauxqs";

const port = Number(process.argv[2] || 0);
const server = await startFauxqs({ port, host: "127.0.0.1", logger: false });
console.log(`fauxqs ready on 127.0.0.1:${server.port}`);
for (const sig of ["SIGTERM", "SIGINT"]) process.on(sig, () => process.exit(0));
