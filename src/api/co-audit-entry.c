/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-client"

#include "config.h"

#include "co-audit-entry.h"

struct _CoAuditEntry
{
  GObject   parent_instance;

  gint64    id;
  char     *at;
  char     *staff;
  char     *action;
  char     *edu_id;
  JsonNode *before;
  JsonNode *after;
};

G_DEFINE_FINAL_TYPE (CoAuditEntry, co_audit_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_AT,
  PROP_STAFF,
  PROP_ACTION,
  PROP_EDU_ID,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
co_audit_entry_finalize (GObject *object)
{
  CoAuditEntry *self = (CoAuditEntry *)object;

  g_clear_pointer (&self->at, g_free);
  g_clear_pointer (&self->staff, g_free);
  g_clear_pointer (&self->action, g_free);
  g_clear_pointer (&self->edu_id, g_free);
  g_clear_pointer (&self->before, json_node_unref);
  g_clear_pointer (&self->after, json_node_unref);

  G_OBJECT_CLASS (co_audit_entry_parent_class)->finalize (object);
}

static void
co_audit_entry_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CoAuditEntry *self = CO_AUDIT_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_AT:
      g_value_set_string (value, self->at);
      break;
    case PROP_STAFF:
      g_value_set_string (value, self->staff);
      break;
    case PROP_ACTION:
      g_value_set_string (value, self->action);
      break;
    case PROP_EDU_ID:
      g_value_set_string (value, self->edu_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
co_audit_entry_class_init (CoAuditEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = co_audit_entry_finalize;
  object_class->get_property = co_audit_entry_get_property;

  properties [PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_AT] =
    g_param_spec_string ("at", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_STAFF] =
    g_param_spec_string ("staff", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_ACTION] =
    g_param_spec_string ("action", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_EDU_ID] =
    g_param_spec_string ("edu-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
co_audit_entry_init (CoAuditEntry *self)
{
}

CoAuditEntry *
co_audit_entry_new (gint64      id,
                    const char *at,
                    const char *staff,
                    const char *action,
                    const char *edu_id,
                    JsonNode   *before,
                    JsonNode   *after)
{
  CoAuditEntry *self = g_object_new (CO_TYPE_AUDIT_ENTRY, NULL);

  self->id = id;
  self->at = g_strdup (at);
  self->staff = g_strdup (staff);
  self->action = g_strdup (action);
  self->edu_id = g_strdup (edu_id);
  self->before = before ? json_node_copy (before) : NULL;
  self->after = after ? json_node_copy (after) : NULL;

  return self;
}

gint64
co_audit_entry_get_id (CoAuditEntry *self)
{
  g_return_val_if_fail (CO_IS_AUDIT_ENTRY (self), 0);
  return self->id;
}

const char *
co_audit_entry_get_at (CoAuditEntry *self)
{
  g_return_val_if_fail (CO_IS_AUDIT_ENTRY (self), NULL);
  return self->at;
}

const char *
co_audit_entry_get_staff (CoAuditEntry *self)
{
  g_return_val_if_fail (CO_IS_AUDIT_ENTRY (self), NULL);
  return self->staff;
}

const char *
co_audit_entry_get_action (CoAuditEntry *self)
{
  g_return_val_if_fail (CO_IS_AUDIT_ENTRY (self), NULL);
  return self->action;
}

const char *
co_audit_entry_get_edu_id (CoAuditEntry *self)
{
  g_return_val_if_fail (CO_IS_AUDIT_ENTRY (self), NULL);
  return self->edu_id;
}

JsonNode *
co_audit_entry_get_before (CoAuditEntry *self)
{
  g_return_val_if_fail (CO_IS_AUDIT_ENTRY (self), NULL);
  return self->before;
}

JsonNode *
co_audit_entry_get_after (CoAuditEntry *self)
{
  g_return_val_if_fail (CO_IS_AUDIT_ENTRY (self), NULL);
  return self->after;
}
