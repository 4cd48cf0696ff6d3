// Sandboxes started by this project's tests answer in the OpenAPI files' literal schemas.
process.env.SANDBOX_ANSWER_SHAPE = 'spec';
