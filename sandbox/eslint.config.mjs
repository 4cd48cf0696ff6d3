export { default } from '../scripts/eslint-node-code.mjs';
