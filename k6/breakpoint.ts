// k6 profile `breakpoint`: an arrival rate growing until the system breaks (errors above 5% stop the run). Run by `cpqchaos load breakpoint` (k6/lib/profiles.ts sizes it).
import http from 'k6/http';
import { businessMix } from './lib/mix.ts';
import { profileOptions } from './lib/profiles.ts';

export const options = profileOptions('breakpoint');

// Only a transport error or a 5xx is a failed request: a business refusal (4xx) is an answer.
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 499 }));

export default businessMix;
