// AVA runs the compiled tests; "npm test" builds first. Child processes (not worker
// threads) because programs under test call process.chdir() and process.umask().
export default {
  files: ['dist/test/**/*.test.js'],
  workerThreads: false,
  timeout: '3m',
};
