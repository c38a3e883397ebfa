/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-store"

#include "config.h"

#include <string.h>

#include "co-store-students.h"

/* A change touching more students than this is announced as one reset. */
#define MAX_SINGLE_CHANGES 1000

typedef struct
{
  CoStoreStudents *owner;
  CoStudent       *student;   /* weak */
  CoEduId          edu_id;
} Live;

struct _CoStoreStudents
{
  GObject     parent_instance;

  CoStore    *store;  /* unowned: the store owns this model */
  GArray     *ids;    /* of CoEduId, in education ID order */
  GHashTable *live;   /* edu ID -> Live: students handed out and still held */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CoStoreStudents, co_store_students, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* Helpers */

static void
on_student_finalized_cb (gpointer  data,
                         GObject  *where_the_object_was)
{
  Live *live = data;

  g_hash_table_remove (live->owner->live, live->edu_id.id);
}

static void
live_free (Live *live)
{
  g_free (live);
}

static gboolean
find_position (GArray     *ids,
               const char *edu_id,
               guint      *position)
{
  guint lo = 0, hi = ids->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      int cmp = strcmp (g_array_index (ids, CoEduId, mid).id, edu_id);

      if (cmp == 0)
        {
          *position = mid;
          return TRUE;
        }
      if (cmp < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return FALSE;
}

/* Students that left are no longer found by lookups (the objects stay
 * with whoever holds them, frozen). */
static void
forget_departed (CoStoreStudents *self)
{
  GHashTableIter iter;
  Live *live;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &live))
    {
      guint position;
      gboolean gone;

      if (self->ids != NULL)
        gone = !find_position (self->ids, live->edu_id.id, &position);
      else
        gone = !_co_store_read_student (self->store, live->edu_id.id, NULL, NULL);

      if (gone)
        {
          g_object_weak_unref (G_OBJECT (live->student), on_student_finalized_cb, live);
          g_hash_table_iter_remove (&iter);
        }
    }
}

static void
ensure_ids (CoStoreStudents *self)
{
  if (self->ids == NULL)
    self->ids = self->store ? _co_store_load_edu_ids (self->store)
                            : g_array_new (FALSE, TRUE, sizeof (CoEduId));
}

/* GListModel */

static GType
co_store_students_get_item_type (GListModel *model)
{
  return CO_TYPE_STUDENT;
}

static guint
co_store_students_get_n_items (GListModel *model)
{
  CoStoreStudents *self = CO_STORE_STUDENTS (model);

  ensure_ids (self);

  return self->ids->len;
}

/* The live instance for @edu_id, or one read now and made live; NULL when
 * the store has no such student. */
static CoStudent *
get_student (CoStoreStudents *self,
             const char      *edu_id)
{
  CoStudent *student = NULL;
  Live *live;

  if ((live = g_hash_table_lookup (self->live, edu_id)))
    return g_object_ref (live->student);

  if (self->store == NULL || strlen (edu_id) != 8 ||
      !_co_store_read_student (self->store, edu_id, NULL, &student))
    return NULL;

  live = g_new0 (Live, 1);
  live->owner = self;
  live->student = student;
  memcpy (live->edu_id.id, edu_id, 9);
  g_object_weak_ref (G_OBJECT (student), on_student_finalized_cb, live);
  g_hash_table_insert (self->live, live->edu_id.id, live);

  return student;
}

static gpointer
co_store_students_get_item (GListModel *model,
                            guint       position)
{
  CoStoreStudents *self = CO_STORE_STUDENTS (model);
  const CoEduId *id;
  CoStudent *student;

  ensure_ids (self);

  if (position >= self->ids->len)
    return NULL;

  id = &g_array_index (self->ids, CoEduId, position);

  /* A write committed but not yet announced may have removed it: a
   * placeholder keeps the model consistent until items-changed. */
  if (!(student = get_student (self, id->id)))
    return co_student_new (id->id, "");

  return student;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = co_store_students_get_item_type;
  iface->get_n_items = co_store_students_get_n_items;
  iface->get_item = co_store_students_get_item;
}

/* GObject */

static void
co_store_students_finalize (GObject *object)
{
  CoStoreStudents *self = (CoStoreStudents *)object;
  GHashTableIter iter;
  Live *live;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &live))
    g_object_weak_unref (G_OBJECT (live->student), on_student_finalized_cb, live);

  g_clear_pointer (&self->live, g_hash_table_unref);
  g_clear_pointer (&self->ids, g_array_unref);

  G_OBJECT_CLASS (co_store_students_parent_class)->finalize (object);
}

static void
co_store_students_class_init (CoStoreStudentsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = co_store_students_finalize;
}

static void
co_store_students_init (CoStoreStudents *self)
{
  self->live = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) live_free);
}

/* Internal API */

CoStoreStudents *
_co_store_students_new (CoStore *store)
{
  CoStoreStudents *self = g_object_new (CO_TYPE_STORE_STUDENTS, NULL);

  self->store = store;

  return self;
}

void
_co_store_students_detach (CoStoreStudents *self)
{
  g_return_if_fail (CO_IS_STORE_STUDENTS (self));

  self->store = NULL;
}

CoStudent *
_co_store_students_lookup (CoStoreStudents *self,
                           const char      *edu_id)
{
  g_return_val_if_fail (CO_IS_STORE_STUDENTS (self), NULL);
  g_return_val_if_fail (edu_id != NULL, NULL);

  return get_student (self, edu_id);
}

void
_co_store_students_apply (CoStoreStudents *self,
                          CoStoreChanges  *changes)
{
  g_autoptr(GArray) old_ids = NULL;
  GPtrArray *changed = changes->changed;
  guint old_n, new_n, prefix = 0, suffix = 0, added = 0, removed = 0;
  guint position;

  g_return_if_fail (CO_IS_STORE_STUDENTS (self));

  if (self->store == NULL)
    return;

  /* Objects in use learn their new values first (notify::), so that
   * whoever reacts to items-changed reads the new state. */
  for (guint i = 0; i < changed->len; i++)
    {
      Live *live = g_hash_table_lookup (self->live, g_ptr_array_index (changed, i));

      if (live != NULL)
        _co_store_read_student (self->store, live->edu_id.id, live->student, NULL);
    }

  /* Nobody has looked at the list yet: it loads when asked. */
  if (self->ids == NULL)
    {
      if (changes->membership_changed)
        forget_departed (self);
      return;
    }

  old_n = self->ids->len;

  if (changes->membership_changed)
    {
      old_ids = g_steal_pointer (&self->ids);
      self->ids = _co_store_load_edu_ids (self->store);
      new_n = self->ids->len;

      while (prefix < old_n && prefix < new_n &&
             memcmp (&g_array_index (old_ids, CoEduId, prefix),
                     &g_array_index (self->ids, CoEduId, prefix), sizeof (CoEduId)) == 0)
        prefix++;

      while (suffix < old_n - prefix && suffix < new_n - prefix &&
             memcmp (&g_array_index (old_ids, CoEduId, old_n - 1 - suffix),
                     &g_array_index (self->ids, CoEduId, new_n - 1 - suffix),
                     sizeof (CoEduId)) == 0)
        suffix++;

      removed = old_n - prefix - suffix;
      added = new_n - prefix - suffix;

      forget_departed (self);
    }
  else
    {
      new_n = old_n;
    }

  if (changed->len > MAX_SINGLE_CHANGES)
    {
      if (old_n > 0 || new_n > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, new_n);
      return;
    }

  if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);

  for (guint i = 0; i < changed->len; i++)
    {
      if (!find_position (self->ids, g_ptr_array_index (changed, i), &position))
        continue;

      if ((removed > 0 || added > 0) && position >= prefix && position < prefix + added)
        continue;

      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
    }
}
