// Runs the adversarial corpus (test/adversarial/cases.yaml) as part of the unit suite, so that `npm test` covers it.
import { registerAdversarialCorpus } from '../../adversarial/run-corpus.ts';

registerAdversarialCorpus();
