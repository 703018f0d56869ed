import { writeDossierCsv } from './bench/lib/lists.ts';

await writeDossierCsv('/tmp/list1m.csv', 1000000);
