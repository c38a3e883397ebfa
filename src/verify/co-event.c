/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-event"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "co-event.h"

struct _CoEvent
{
  GObject     parent_instance;

  char       *id;
  char       *name;
  char       *date;
  GHashTable *students;   /* edu_id set */
  GHashTable *classes;    /* "grade\x1fclass" set */
  guint       grades;     /* bit g: grade g allowed */
  GHashTable *check_ins;  /* edu_id → GDateTime */
};

G_DEFINE_FINAL_TYPE (CoEvent, co_event, G_TYPE_OBJECT)

static char *
class_key (int         grade,
           const char *class_name)
{
  return g_strdup_printf ("%d\x1f%s", grade, class_name);
}

static void
co_event_finalize (GObject *object)
{
  CoEvent *self = (CoEvent *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->date, g_free);
  g_clear_pointer (&self->students, g_hash_table_unref);
  g_clear_pointer (&self->classes, g_hash_table_unref);
  g_clear_pointer (&self->check_ins, g_hash_table_unref);

  G_OBJECT_CLASS (co_event_parent_class)->finalize (object);
}

static void
co_event_class_init (CoEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = co_event_finalize;
}

static void
co_event_init (CoEvent *self)
{
  self->students = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->classes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->check_ins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_date_time_unref);
}

CoEvent *
co_event_new (const char *name,
              const char *date)
{
  CoEvent *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (date != NULL, NULL);

  self = g_object_new (CO_TYPE_EVENT, NULL);
  self->id = g_uuid_string_random ();
  self->name = g_strdup (name);
  self->date = g_strdup (date);

  return self;
}

CoEvent *
co_event_new_with_id (const char *id,
                      const char *name,
                      const char *date)
{
  CoEvent *self;

  g_return_val_if_fail (id != NULL && *id != '\0', NULL);

  self = co_event_new (name, date);
  g_free (self->id);
  self->id = g_strdup (id);

  return self;
}

const char *
co_event_get_id (CoEvent *self)
{
  g_return_val_if_fail (CO_IS_EVENT (self), NULL);

  return self->id;
}

const char *
co_event_get_name (CoEvent *self)
{
  g_return_val_if_fail (CO_IS_EVENT (self), NULL);

  return self->name;
}

const char *
co_event_get_date (CoEvent *self)
{
  g_return_val_if_fail (CO_IS_EVENT (self), NULL);

  return self->date;
}

void
co_event_allow_student (CoEvent    *self,
                        const char *edu_id)
{
  g_return_if_fail (CO_IS_EVENT (self));
  g_return_if_fail (edu_id != NULL);

  g_hash_table_add (self->students, g_strdup (edu_id));
}

void
co_event_allow_grade (CoEvent *self,
                      int      grade)
{
  g_return_if_fail (CO_IS_EVENT (self));
  g_return_if_fail (grade >= 1 && grade <= 12);

  self->grades |= 1u << grade;
}

void
co_event_allow_class (CoEvent    *self,
                      int         grade,
                      const char *class_name)
{
  g_return_if_fail (CO_IS_EVENT (self));
  g_return_if_fail (grade >= 1 && grade <= 12);
  g_return_if_fail (class_name != NULL);

  g_hash_table_add (self->classes, class_key (grade, class_name));
}

gboolean
co_event_has_list (CoEvent *self)
{
  g_return_val_if_fail (CO_IS_EVENT (self), FALSE);

  return self->grades != 0 ||
         g_hash_table_size (self->students) > 0 ||
         g_hash_table_size (self->classes) > 0;
}

gboolean
co_event_allows (CoEvent   *self,
                 CoStudent *student)
{
  int grade;

  g_return_val_if_fail (CO_IS_EVENT (self), FALSE);
  g_return_val_if_fail (CO_IS_STUDENT (student), FALSE);

  if (!co_event_has_list (self))
    return TRUE;

  grade = co_student_get_grade (student);
  if (grade >= 1 && grade <= 12 && (self->grades & (1u << grade)) != 0)
    return TRUE;

  if (g_hash_table_contains (self->students, co_student_get_edu_id (student)))
    return TRUE;

  if (g_hash_table_size (self->classes) > 0 && co_student_get_class_name (student) != NULL)
    {
      g_autofree char *key = class_key (grade, co_student_get_class_name (student));

      return g_hash_table_contains (self->classes, key);
    }

  return FALSE;
}

gboolean
co_event_check_in (CoEvent    *self,
                   const char *edu_id,
                   GDateTime  *at)
{
  g_return_val_if_fail (CO_IS_EVENT (self), FALSE);
  g_return_val_if_fail (edu_id != NULL, FALSE);
  g_return_val_if_fail (at != NULL, FALSE);

  if (g_hash_table_contains (self->check_ins, edu_id))
    return FALSE;

  g_hash_table_insert (self->check_ins, g_strdup (edu_id), g_date_time_ref (at));
  return TRUE;
}

GDateTime *
co_event_get_check_in (CoEvent    *self,
                       const char *edu_id)
{
  g_return_val_if_fail (CO_IS_EVENT (self), NULL);
  g_return_val_if_fail (edu_id != NULL, NULL);

  return g_hash_table_lookup (self->check_ins, edu_id);
}

guint
co_event_get_n_check_ins (CoEvent *self)
{
  g_return_val_if_fail (CO_IS_EVENT (self), 0);

  return g_hash_table_size (self->check_ins);
}

guint
co_event_get_n_allowed_students (CoEvent *self)
{
  g_return_val_if_fail (CO_IS_EVENT (self), 0);

  return g_hash_table_size (self->students);
}

guint
co_event_get_n_allowed_grades (CoEvent *self)
{
  g_return_val_if_fail (CO_IS_EVENT (self), 0);

  return (guint) __builtin_popcount (self->grades);
}

guint
co_event_get_n_allowed_classes (CoEvent *self)
{
  g_return_val_if_fail (CO_IS_EVENT (self), 0);

  return g_hash_table_size (self->classes);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
sorted_keys (GHashTable *set)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_strings);

  return keys;
}

char *
co_event_list_to_json (CoEvent *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) classes = NULL;
  g_autoptr(GPtrArray) students = NULL;

  g_return_val_if_fail (CO_IS_EVENT (self), NULL);

  if (!co_event_has_list (self))
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "grades");
  json_builder_begin_array (builder);
  for (int g = 1; g <= 12; g++)
    if ((self->grades & (1u << g)) != 0)
      json_builder_add_int_value (builder, g);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "classes");
  json_builder_begin_array (builder);
  classes = sorted_keys (self->classes);
  for (guint i = 0; i < classes->len; i++)
    {
      const char *key = g_ptr_array_index (classes, i);
      const char *sep = strchr (key, '\x1f');

      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, g_ascii_strtoll (key, NULL, 10));
      json_builder_add_string_value (builder, sep + 1);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "students");
  json_builder_begin_array (builder);
  students = sorted_keys (self->students);
  for (guint i = 0; i < students->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (students, i));
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

static gboolean
bad_list (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "malformed event list");
  return FALSE;
}

gboolean
co_event_list_from_json (CoEvent     *self,
                         const char  *json,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;
  JsonNode *root;

  g_return_val_if_fail (CO_IS_EVENT (self), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, error))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return bad_list (error);
  object = json_node_get_object (root);

  if (json_object_has_member (object, "grades"))
    {
      JsonArray *grades = json_object_get_array_member (object, "grades");

      for (guint i = 0; grades != NULL && i < json_array_get_length (grades); i++)
        {
          gint64 g = json_array_get_int_element (grades, i);

          if (g < 1 || g > 12)
            return bad_list (error);
          co_event_allow_grade (self, (int) g);
        }
    }

  if (json_object_has_member (object, "classes"))
    {
      JsonArray *classes = json_object_get_array_member (object, "classes");

      for (guint i = 0; classes != NULL && i < json_array_get_length (classes); i++)
        {
          JsonArray *pair = json_array_get_array_element (classes, i);
          gint64 g;
          const char *name;

          if (pair == NULL || json_array_get_length (pair) != 2)
            return bad_list (error);
          g = json_array_get_int_element (pair, 0);
          name = json_array_get_string_element (pair, 1);
          if (g < 1 || g > 12 || name == NULL)
            return bad_list (error);
          co_event_allow_class (self, (int) g, name);
        }
    }

  if (json_object_has_member (object, "students"))
    {
      JsonArray *students = json_object_get_array_member (object, "students");

      for (guint i = 0; students != NULL && i < json_array_get_length (students); i++)
        {
          const char *edu_id = json_array_get_string_element (students, i);

          if (edu_id == NULL)
            return bad_list (error);
          co_event_allow_student (self, edu_id);
        }
    }

  return TRUE;
}
