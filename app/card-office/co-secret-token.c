/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * SecretService calls with a NULL service go to the D-Bus Secret Service
 * itself, never to libsecret's file backend.
 */
#define G_LOG_DOMAIN "co-secret-token"

#include "config.h"

#include <libsecret/secret.h>

#include "co-secret-token.h"

static const SecretSchema token_schema = {
  "org.cardoffice.CardOffice.Session", SECRET_SCHEMA_NONE,
  {
    { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static GHashTable *
server_attributes (const char *server)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "server", (gpointer) server);

  return attributes;
}

gboolean
co_secret_token_available (void)
{
  g_autofree char *bus = NULL;
  const char *runtime_dir = g_getenv ("XDG_RUNTIME_DIR");

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    return TRUE;

  /* The systemd user bus; GLib would otherwise try to autolaunch one. */
  if (runtime_dir == NULL)
    return FALSE;
  bus = g_build_filename (runtime_dir, "bus", NULL);

  return g_file_test (bus, G_FILE_TEST_EXISTS);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_service_store_finish (NULL, result, &error))
    g_debug ("Session not kept in the Secret Service (memory only): %s", error->message);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_service_clear_finish (NULL, result, &error) && error != NULL)
    g_debug ("Session not removed from the Secret Service: %s", error->message);
}

void
co_secret_token_save (const char *server,
                      const char *username,
                      const char *token)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretValue) value = NULL;

  g_return_if_fail (server != NULL);
  g_return_if_fail (token != NULL);

  if (!co_secret_token_available ())
    return;

  attributes = server_attributes (server);
  g_hash_table_insert (attributes, (gpointer) "username", (gpointer) (username ? username : ""));
  value = secret_value_new (token, -1, "text/plain");
  /* Same server and user: the item is replaced. */
  secret_service_store (NULL, &token_schema, attributes, SECRET_COLLECTION_DEFAULT,
                        "Card Office session", value, NULL, store_cb, NULL);
}

void
co_secret_token_forget (const char *server)
{
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (server != NULL);

  if (!co_secret_token_available ())
    return;

  attributes = server_attributes (server);
  secret_service_clear (NULL, &token_schema, attributes, NULL, clear_cb, NULL);
}

static void
search_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GList *items = secret_service_search_finish (NULL, result, &error);
  SecretItem *item;
  SecretValue *value;
  g_autoptr(GHashTable) attributes = NULL;
  char **out = g_task_get_task_data (task);

  if (items == NULL)
    {
      if (error != NULL)
        g_debug ("No session from the Secret Service: %s", error->message);
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  item = items->data;
  value = secret_item_get_secret (item);
  attributes = secret_item_get_attributes (item);
  *out = g_strdup (g_hash_table_lookup (attributes, "username"));
  g_task_return_pointer (task, value ? g_strdup (secret_value_get_text (value)) : NULL, g_free);
  if (value != NULL)
    secret_value_unref (value);
  g_list_free_full (items, g_object_unref);
}

static void
free_username (gpointer data)
{
  char **username = data;

  g_free (*username);
  g_free (username);
}

void
co_secret_token_load_async (const char          *server,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (server != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, co_secret_token_load_async);
  g_task_set_task_data (task, g_new0 (char *, 1), free_username);

  if (!co_secret_token_available ())
    {
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }

  attributes = server_attributes (server);
  secret_service_search (NULL, &token_schema, attributes,
                         SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                         cancellable, search_cb, task);
}

char *
co_secret_token_load_finish (GAsyncResult  *result,
                             char         **username,
                             GError       **error)
{
  char **stored;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  stored = g_task_get_task_data (G_TASK (result));
  if (username != NULL)
    *username = g_steal_pointer (stored);

  return g_task_propagate_pointer (G_TASK (result), error);
}
