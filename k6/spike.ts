// k6 profile `spike`: a burst from a tenth of the users to all of them and back. Run by `cpqchaos load spike` (k6/lib/profiles.ts sizes it).
import http from 'k6/http';
import { businessMix } from './lib/mix.ts';
import { profileOptions } from './lib/profiles.ts';

export const options = profileOptions('spike');

// Only a transport error or a 5xx is a failed request: a business refusal (4xx) is an answer.
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 499 }));

export default businessMix;
