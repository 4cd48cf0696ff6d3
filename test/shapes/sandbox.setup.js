// Sandboxes started by this project's tests answer in the sandbox's own types.
process.env.SANDBOX_ANSWER_SHAPE = 'sandbox';
