/** The one mapping from an error to a user message lives beside the catalog (operations' reports use it too). */
export { apology, userMessageOf } from '../i18n/userMessage';
