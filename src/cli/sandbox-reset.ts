import { loadDotEnv } from '../config/env';
import { resetSandbox } from '../sandbox';

// `npm run sandbox:reset`: forget the sandbox's cases and messages; the next `npm start` without
// Slack settings loads fresh sample data. A real workspace's data is never touched.
loadDotEnv();
const dir = resetSandbox(process.env);
process.stdout.write(`trustloop: sandbox data removed (${dir}); npm start loads fresh sample data\n`);
