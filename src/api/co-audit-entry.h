/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoAuditEntry: one line of the operation log (操作日志), GET /api/v1/audit.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CO_TYPE_AUDIT_ENTRY (co_audit_entry_get_type ())
G_DECLARE_FINAL_TYPE (CoAuditEntry, co_audit_entry, CO, AUDIT_ENTRY, GObject)

/* @before and @after (nullable) are JSON objects; they are copied. */
CoAuditEntry *co_audit_entry_new          (gint64      id,
                                           const char *at,
                                           const char *staff,
                                           const char *action,
                                           const char *edu_id,
                                           JsonNode   *before,
                                           JsonNode   *after);

gint64        co_audit_entry_get_id       (CoAuditEntry *self);
/* RFC 3339 */
const char   *co_audit_entry_get_at       (CoAuditEntry *self);
const char   *co_audit_entry_get_staff    (CoAuditEntry *self);
/* A CoAction nick, or login, logout, request_payment, correct, ... */
const char   *co_audit_entry_get_action   (CoAuditEntry *self);
const char   *co_audit_entry_get_edu_id   (CoAuditEntry *self);
/* The state before and after (a student's JSON), or NULL. */
JsonNode     *co_audit_entry_get_before   (CoAuditEntry *self);
JsonNode     *co_audit_entry_get_after    (CoAuditEntry *self);

G_END_DECLS
