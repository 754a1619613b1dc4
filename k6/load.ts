// k6 profile `load`: ramp to the target users, hold, ramp down: the everyday peak. Run by `cpqchaos load load` (k6/lib/profiles.ts sizes it).
import http from 'k6/http';
import { businessMix } from './lib/mix.ts';
import { profileOptions } from './lib/profiles.ts';

export const options = profileOptions('load');

// Only a transport error or a 5xx is a failed request: a business refusal (4xx) is an answer.
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 499 }));

export default businessMix;
