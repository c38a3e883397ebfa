/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-event"

#include "config.h"

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
