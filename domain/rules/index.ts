export { type Rules, RulesError, defaultRules, loadRules, rulesSchema } from './rules';
