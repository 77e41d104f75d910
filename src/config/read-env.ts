import Joi from 'joi';

/**
 * A namespace's variables, each with its rules and default written once.
 * An empty value means unset, so its default applies: `cp .env.example .env`
 * leaves `DATABASE_URL=` and `JWT_SECRET=` empty, and boots as is.
 */
export function envVariables(variables: Record<string, Joi.Schema>): Record<string, Joi.Schema> {
  return Object.fromEntries(Object.entries(variables).map(([name, schema]) => [name, schema.empty('')]));
}

/**
 * The namespace's variables from the environment, validated, with their
 * defaults. The boot has already refused bad values (`envValidationSchema`),
 * so this only fails when a namespace is read outside the application.
 */
export function readEnv<T>(variables: Record<string, Joi.Schema>): T {
  const { value, error } = Joi.object(variables)
    .options({ allowUnknown: true, abortEarly: false })
    .validate(process.env) as { value: T; error?: Joi.ValidationError };
  if (error) throw new Error(`Config validation error: ${error.message}`);
  return value;
}
