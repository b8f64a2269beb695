export { RULES_LIST, type Rules, RulesError, type RulesEntry, type RulesInForce, defaultRules, loadRules, rulesInForce, rulesSchema } from './rules';
