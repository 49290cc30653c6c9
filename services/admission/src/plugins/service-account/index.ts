export {
  ServiceAccountPlugin,
  SERVICE_ACCOUNT_PLUGIN_NAME,
  DEFAULT_SERVICE_ACCOUNT_NAME,
  ENFORCE_MOUNTABLE_SECRETS_ANNOTATION,
  MIRROR_POD_ANNOTATION,
  type ServiceAccountLister,
  type ServiceAccountOptions,
} from './plugin.js';
export {
  DEFAULT_API_TOKEN_MOUNT_PATH,
  SERVICE_ACCOUNT_VOLUME_NAME,
  TOKEN_EXPIRATION_SECONDS,
  generateName,
  tokenVolume,
} from './token-volume.js';
export { serviceAccountFactory } from './factory.js';
