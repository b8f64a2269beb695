import { useEffect, useState } from 'react';
import { defaultRules, type Rules } from '../../domain/rules';
import type { MisBridge, RequestOutput } from '../../main/api/types';

export type RulesInForce = RequestOutput<'reference.rules'>;

/** The rules the station works by today, with the entry they come from (null until main answers). */
export function useRulesInForce(bridge: MisBridge): RulesInForce | null {
  const [rules, setRules] = useState<RulesInForce | null>(null);
  useEffect(() => {
    let current = true;
    void bridge.request('reference.rules', {}).then((result) => {
      if (current && result.ok) setRules(result.value);
    });
    return () => {
      current = false;
    };
  }, [bridge]);
  return rules;
}

/** The rules to word and preview by: the station's, the defaults until main answers. */
export function useStationRules(bridge: MisBridge): Rules {
  return useRulesInForce(bridge)?.rules ?? defaultRules;
}
