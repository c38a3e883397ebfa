/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoStudentList: a GListModel of CoStudent that keeps only education IDs
 * (9 bytes a row) and asks the store for a student when a row is shown, so
 * listing 100,000 students makes objects for the visible rows only. The
 * objects are the store's (co_store_lookup_student ()): one per student,
 * updated in place.
 */
#define G_LOG_DOMAIN "co-student-list"

#include "config.h"

#include <string.h>

#include "co-student-list.h"

struct _CoStudentList
{
  GObject  parent_instance;

  CoStore *store;
  GArray  *ids;   /* of CoStudentListId */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CoStudentList, co_student_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* GListModel */

static GType
co_student_list_get_item_type (GListModel *model)
{
  return CO_TYPE_STUDENT;
}

static guint
co_student_list_get_n_items (GListModel *model)
{
  return CO_STUDENT_LIST (model)->ids->len;
}

static gpointer
co_student_list_get_item (GListModel *model,
                          guint       position)
{
  CoStudentList *self = CO_STUDENT_LIST (model);
  const char *edu_id;
  CoStudent *student = NULL;

  if (position >= self->ids->len)
    return NULL;

  edu_id = g_array_index (self->ids, CoStudentListId, position).id;
  if (self->store != NULL)
    student = co_store_lookup_student (self->store, edu_id);

  /* Gone from the store since the list was made: a placeholder until the
   * list is updated. */
  if (student == NULL)
    student = co_student_new (edu_id, "");

  return student;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = co_student_list_get_item_type;
  iface->get_n_items = co_student_list_get_n_items;
  iface->get_item = co_student_list_get_item;
}

/* GObject */

static void
co_student_list_dispose (GObject *object)
{
  CoStudentList *self = CO_STUDENT_LIST (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (co_student_list_parent_class)->dispose (object);
}

static void
co_student_list_finalize (GObject *object)
{
  CoStudentList *self = CO_STUDENT_LIST (object);

  g_clear_pointer (&self->ids, g_array_unref);

  G_OBJECT_CLASS (co_student_list_parent_class)->finalize (object);
}

static void
co_student_list_class_init (CoStudentListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = co_student_list_dispose;
  object_class->finalize = co_student_list_finalize;
}

static void
co_student_list_init (CoStudentList *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (CoStudentListId));
}

/* Public API */

CoStudentList *
co_student_list_new (void)
{
  return g_object_new (CO_TYPE_STUDENT_LIST, NULL);
}

void
co_student_list_set_store (CoStudentList *self,
                           CoStore       *store)
{
  g_return_if_fail (CO_IS_STUDENT_LIST (self));
  g_return_if_fail (store == NULL || CO_IS_STORE (store));

  g_set_object (&self->store, store);
}

void
co_student_list_set_ids (CoStudentList         *self,
                         const CoStudentListId *ids,
                         guint                  n_ids,
                         gboolean               reset)
{
  const CoStudentListId *old;
  guint old_n, prefix = 0, suffix = 0;

  g_return_if_fail (CO_IS_STUDENT_LIST (self));
  g_return_if_fail (ids != NULL || n_ids == 0);

  old = (const CoStudentListId *) (gpointer) self->ids->data;
  old_n = self->ids->len;

  if (!reset)
    {
      while (prefix < old_n && prefix < n_ids &&
             memcmp (&old[prefix], &ids[prefix], sizeof (CoStudentListId)) == 0)
        prefix++;
      while (suffix < old_n - prefix && suffix < n_ids - prefix &&
             memcmp (&old[old_n - 1 - suffix], &ids[n_ids - 1 - suffix],
                     sizeof (CoStudentListId)) == 0)
        suffix++;
    }

  g_array_set_size (self->ids, n_ids);
  if (n_ids > 0)
    memcpy (self->ids->data, ids, n_ids * sizeof (CoStudentListId));

  if (old_n - prefix - suffix > 0 || n_ids - prefix - suffix > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                                old_n - prefix - suffix, n_ids - prefix - suffix);
}
