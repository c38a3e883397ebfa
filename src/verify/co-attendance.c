/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-attendance"

#include "config.h"

#include <string.h>

#include "co-attendance.h"

typedef struct
{
  char *present_at;   /* first valid check-in */
  char *refused_at;   /* last refusal */
  char *refused_why;
} Seen;

static void
seen_free (gpointer data)
{
  Seen *seen = data;

  g_free (seen->present_at);
  g_free (seen->refused_at);
  g_free (seen->refused_why);
  g_free (seen);
}

typedef struct
{
  GHashTable *by_student;  /* edu_id → Seen */
  GPtrArray  *nobody;      /* of Seen: refusals of unknown cards */
} Collect;

static void
collect_cb (const char *key,
            const char *edu_id,
            const char *result,
            const char *checked_at,
            gpointer    user_data)
{
  Collect *c = user_data;
  Seen *seen;

  if (edu_id == NULL)
    {
      seen = g_new0 (Seen, 1);
      seen->refused_at = g_strdup (checked_at);
      seen->refused_why = g_strdup (result);
      g_ptr_array_add (c->nobody, seen);
      return;
    }

  if (!(seen = g_hash_table_lookup (c->by_student, edu_id)))
    {
      seen = g_new0 (Seen, 1);
      g_hash_table_insert (c->by_student, g_strdup (edu_id), seen);
    }

  /* In time order: the first valid one is the arrival. */
  if (g_str_equal (result, "valid"))
    {
      if (seen->present_at == NULL)
        seen->present_at = g_strdup (checked_at);
    }
  else
    {
      g_free (seen->refused_at);
      g_free (seen->refused_why);
      seen->refused_at = g_strdup (checked_at);
      seen->refused_why = g_strdup (result);
    }
}

static const char * const machine_headers[CO_ATTENDANCE_N_COLUMNS] = {
  "edu_id", "name", "grade", "class", "status", "time", "result",
};

static const char * const machine_statuses[CO_ATTENDANCE_N_STATUSES] = {
  [CO_ATTENDANCE_PRESENT] = "present",
  [CO_ATTENDANCE_ABSENT] = "absent",
  [CO_ATTENDANCE_REFUSED] = "refused",
};

static void
append_field (GString    *row,
              guint       column,
              const char *text)
{
  gboolean formula;

  if (column > 0)
    g_string_append_c (row, ',');
  if (text == NULL)
    return;

  /* A cell a spreadsheet would run as a formula is quoted and gets a
   * leading apostrophe, so it stays text (as co-batch-export.c). */
  formula = text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@';
  if (formula || strpbrk (text, ",\"\r\n") != NULL)
    {
      g_string_append_c (row, '"');
      if (formula)
        g_string_append_c (row, '\'');
      for (const char *p = text; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (row, '"');
          g_string_append_c (row, *p);
        }
      g_string_append_c (row, '"');
    }
  else
    g_string_append (row, text);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
append_row (GString                *csv,
            const CoAttendanceText *text,
            CoStudent              *student,
            const char             *edu_id,
            const Seen             *seen,
            CoAttendanceCounts     *counts)
{
  g_autoptr(GString) row = g_string_new (NULL);
  g_autofree char *result_text = NULL;
  char grade[8] = "";
  const char *time = NULL, *result = NULL;
  CoAttendanceStatus status;

  if (seen != NULL && seen->present_at != NULL)
    {
      status = CO_ATTENDANCE_PRESENT;
      time = seen->present_at;
      result = "valid";
      counts->present++;
    }
  else if (seen != NULL && seen->refused_at != NULL)
    {
      status = CO_ATTENDANCE_REFUSED;
      time = seen->refused_at;
      result = seen->refused_why;
      counts->refused++;
    }
  else
    {
      status = CO_ATTENDANCE_ABSENT;
      counts->absent++;
    }

  if (result != NULL && text != NULL && text->result_func != NULL)
    result_text = text->result_func (result, text->user_data);

  if (student != NULL)
    g_snprintf (grade, sizeof grade, "%d", co_student_get_grade (student));

  append_field (row, 0, edu_id);
  append_field (row, 1, student ? co_student_get_name (student) : NULL);
  append_field (row, 2, student ? grade : NULL);
  append_field (row, 3, student ? co_student_get_class_name (student) : NULL);
  append_field (row, 4, (text && text->statuses[status]) ? text->statuses[status]
                                                         : machine_statuses[status]);
  append_field (row, 5, time);
  append_field (row, 6, result_text ? result_text : result);
  g_string_append (csv, row->str);
  g_string_append (csv, "\r\n");
}

gboolean
co_attendance_write_csv (CoStore                 *store,
                         CoEvent                 *event,
                         const CoAttendanceText  *text,
                         GOutputStream           *out,
                         CoAttendanceCounts      *counts,
                         GCancellable            *cancellable,
                         GError                 **error)
{
  g_autoptr(GHashTable) by_student = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, seen_free);
  g_autoptr(GPtrArray) nobody = g_ptr_array_new_with_free_func (seen_free);
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(GPtrArray) seen_ids = NULL;
  CoAttendanceCounts local = { 0 };
  Collect c = { by_student, nobody };

  g_return_val_if_fail (CO_IS_STORE (store), FALSE);
  g_return_val_if_fail (CO_IS_EVENT (event), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < CO_ATTENDANCE_N_COLUMNS; i++)
    append_field (csv, i, (text && text->headers[i]) ? text->headers[i] : machine_headers[i]);
  g_string_append (csv, "\r\n");

  co_store_foreach_check_in (store, co_event_get_id (event), collect_cb, &c);

  if (co_event_has_list (event))
    {
      /* Everybody on the list, in education ID order. */
      GListModel *students = co_store_get_students (store);
      guint n = g_list_model_get_n_items (students);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CoStudent) student = g_list_model_get_item (students, i);
          const char *edu_id = co_student_get_edu_id (student);
          Seen *seen = g_hash_table_lookup (by_student, edu_id);

          if (!co_event_allows (event, student) && seen == NULL)
            continue;
          append_row (csv, text, student, edu_id, seen, &local);
          g_hash_table_remove (by_student, edu_id);
        }
    }

  /* Those seen but not listed above (no list, or left the roster). */
  seen_ids = g_ptr_array_new ();
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, by_student);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_ptr_array_add (seen_ids, key);
  }
  g_ptr_array_sort (seen_ids, compare_ids);
  for (guint i = 0; i < seen_ids->len; i++)
    {
      const char *edu_id = g_ptr_array_index (seen_ids, i);
      g_autoptr(CoStudent) student = co_store_lookup_student (store, edu_id);

      append_row (csv, text, student, edu_id, g_hash_table_lookup (by_student, edu_id), &local);
    }

  for (guint i = 0; i < nobody->len; i++)
    append_row (csv, text, NULL, NULL, g_ptr_array_index (nobody, i), &local);

  if (counts != NULL)
    *counts = local;

  return g_output_stream_write_all (out, csv->str, csv->len, NULL, cancellable, error);
}
