// The adversarial corpus (cases.yaml) through the policy: `node scripts/test.mjs adversarial`.
import { registerAdversarialCorpus } from './run-corpus.ts';

registerAdversarialCorpus();
