import { customType } from 'drizzle-orm/pg-core';

/** A `bytea` column read and written as a Buffer (drizzle has no built-in bytea type). */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea',
});
