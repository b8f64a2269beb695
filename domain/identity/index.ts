export { type RequiredRole, type Role, type ServerAction, roleAllows, roles, serverActions } from './roles';
export {
  type DeriveKey,
  type PasswordHash,
  type ScryptParameters,
  PASSWORD_HASH_MAX_MEMORY,
  PASSWORD_HASH_PARAMETERS,
  PasswordHashError,
  derivePasswordHash,
  formatPasswordHash,
  parsePasswordHash,
  passwordProblems,
  verifyPassword,
} from './password';
