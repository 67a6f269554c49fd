/**
 * Settings for every test file, before it loads anything. Passwords are hashed at scrypt N = 2^10
 * here instead of 2^15 (password.ts: honoured only when NODE_ENV=test, which jest sets): the
 * grant-rule test alone hashes 810. The production cost has its own unit test, and processes the tests
 * start as a user would (`npm start`) are not test runs and hash at full cost.
 */
process.env.SNE_TEST_SCRYPT_N ??= '1024';
