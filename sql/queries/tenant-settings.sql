-- Current value of every tenant setting (analytics/config.ts parses and checks them).
SELECT key, value
FROM tenant_settings FINAL
