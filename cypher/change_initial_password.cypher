// Replace the default password on a new server (run against the system database as the
// user whose password is still the default). Both passwords travel as parameters, so the
// new one never appears on a command line or in a log.
ALTER CURRENT USER SET PASSWORD FROM $old TO $new
