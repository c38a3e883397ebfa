/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-model"

#include "config.h"

#include <string.h>

#include "co-calendar.h"

/* Official ranges are at most nine days; a longer one is a typo. */
#define MAX_RANGE_DAYS 31

typedef enum
{
  DAY_HOLIDAY = 1,
  DAY_MAKEUP  = 2,
} DayKind;

struct _CoCalendar
{
  GObject     parent_instance;

  /* Julian day number -> DayKind */
  GHashTable *days;
  /* Sorted, 0-terminated */
  GArray     *years;
};

G_DEFINE_FINAL_TYPE (CoCalendar, co_calendar, G_TYPE_OBJECT)

G_DEFINE_QUARK (co-calendar-error-quark, co_calendar_error)

/* Parsing */

static gboolean
parse_date (const char *text,
            GDate      *out)
{
  int v[3] = { 0, 0, 0 };
  static const int widths[3] = { 4, 2, 2 };
  const char *p = text;

  if (strlen (text) != 10)
    return FALSE;

  for (guint i = 0; i < 3; i++)
    {
      for (int j = 0; j < widths[i]; j++, p++)
        {
          if (!g_ascii_isdigit (*p))
            return FALSE;
          v[i] = v[i] * 10 + (*p - '0');
        }
      if (i < 2 && *p++ != '-')
        return FALSE;
    }

  if (v[0] < 1 || v[0] > G_MAXUINT16 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31)
    return FALSE;
  if (!g_date_valid_dmy (v[2], v[1], v[0]))
    return FALSE;

  g_date_clear (out, 1);
  g_date_set_dmy (out, v[2], v[1], v[0]);
  return TRUE;
}

static gboolean
parse_year (const char *group,
            int        *year)
{
  int y = 0;

  if (strlen (group) != 4)
    return FALSE;
  for (const char *p = group; *p; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      y = y * 10 + (*p - '0');
    }
  if (y < 1)
    return FALSE;

  *year = y;
  return TRUE;
}

G_GNUC_PRINTF (4, 5)
static gboolean
set_parse_error (GError     **error,
                 const char  *group,
                 const char  *key,
                 const char  *format,
                 ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  if (key != NULL)
    g_set_error (error, CO_CALENDAR_ERROR, CO_CALENDAR_ERROR_PARSE,
                 "Group [%s], key “%s”: %s", group, key, detail);
  else
    g_set_error (error, CO_CALENDAR_ERROR, CO_CALENDAR_ERROR_PARSE,
                 "Group [%s]: %s", group, detail);
  return FALSE;
}

static gboolean
add_day (CoCalendar  *self,
         const GDate *day,
         DayKind      kind,
         const char  *group,
         const char  *key,
         GError     **error)
{
  gpointer jd = GUINT_TO_POINTER (g_date_get_julian (day));
  DayKind old = GPOINTER_TO_UINT (g_hash_table_lookup (self->days, jd));

  if (old != 0)
    {
      char buf[16];

      g_date_strftime (buf, sizeof buf, "%Y-%m-%d", day);
      return set_parse_error (error, group, key, "%s is listed twice%s", buf,
                              old != kind ? " (as holiday and as workday)" : "");
    }

  g_hash_table_insert (self->days, jd, GUINT_TO_POINTER (kind));
  return TRUE;
}

static gboolean
check_near_year (const GDate *day,
                 int          year,
                 const char  *item,
                 const char  *group,
                 const char  *key,
                 GError     **error)
{
  int y = g_date_get_year (day);

  /* A holiday may start in December of the year before (元旦). */
  if (y < year - 1 || y > year + 1)
    return set_parse_error (error, group, key, "“%s” is not near the year %d", item, year);
  return TRUE;
}

static gboolean
parse_list (CoCalendar  *self,
            GKeyFile    *keyfile,
            const char  *group,
            int          year,
            const char  *key,
            DayKind      kind,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) items = NULL;
  gsize n_items = 0;

  items = g_key_file_get_string_list (keyfile, group, key, &n_items, &local_error);
  if (items == NULL)
    {
      if (g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND)
          && kind == DAY_MAKEUP)
        return TRUE;
      return set_parse_error (error, group, key, "%s", local_error->message);
    }

  if (kind == DAY_HOLIDAY && n_items == 0)
    return set_parse_error (error, group, key, "no holidays listed");

  for (gsize i = 0; i < n_items; i++)
    {
      char *item = g_strstrip (items[i]);
      const char *dots = strstr (item, "..");
      GDate first, last;

      if (*item == '\0')
        return set_parse_error (error, group, key, "empty item");

      if (dots != NULL)
        {
          g_autofree char *head = g_strndup (item, dots - item);

          if (kind == DAY_MAKEUP)
            return set_parse_error (error, group, key, "“%s”: workdays are single days", item);
          if (!parse_date (head, &first) || !parse_date (dots + 2, &last))
            return set_parse_error (error, group, key, "invalid date range “%s”", item);
          if (g_date_compare (&first, &last) > 0)
            return set_parse_error (error, group, key, "reversed date range “%s”", item);
          if (g_date_days_between (&first, &last) >= MAX_RANGE_DAYS)
            return set_parse_error (error, group, key, "date range “%s” is too long", item);
        }
      else
        {
          if (!parse_date (item, &first))
            return set_parse_error (error, group, key, "invalid date “%s”", item);
          last = first;
        }

      if (!check_near_year (&first, year, item, group, key, error) ||
          !check_near_year (&last, year, item, group, key, error))
        return FALSE;

      if (kind == DAY_MAKEUP)
        {
          GDateWeekday wd = g_date_get_weekday (&first);

          if (wd != G_DATE_SATURDAY && wd != G_DATE_SUNDAY)
            return set_parse_error (error, group, key,
                                    "workday “%s” is not a Saturday or Sunday", item);
        }

      for (GDate d = first; g_date_compare (&d, &last) <= 0; g_date_add_days (&d, 1))
        {
          if (!add_day (self, &d, kind, group, key, error))
            return FALSE;
        }
    }

  return TRUE;
}

static int
compare_int (gconstpointer a,
             gconstpointer b)
{
  int x = *(const int *) a;
  int y = *(const int *) b;

  return (x > y) - (x < y);
}

static gboolean
load_keyfile (CoCalendar  *self,
              GKeyFile    *keyfile,
              GError     **error)
{
  g_auto(GStrv) groups = NULL;

  groups = g_key_file_get_groups (keyfile, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *group = groups[i];
      g_auto(GStrv) keys = NULL;
      int year;

      if (!parse_year (group, &year))
        return set_parse_error (error, group, NULL, "the group name is not a year");

      keys = g_key_file_get_keys (keyfile, group, NULL, NULL);
      for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
        {
          if (!g_str_equal (keys[k], "source") &&
              !g_str_equal (keys[k], "holidays") &&
              !g_str_equal (keys[k], "workdays"))
            return set_parse_error (error, group, keys[k], "unknown key");
        }

      if (!parse_list (self, keyfile, group, year, "holidays", DAY_HOLIDAY, error) ||
          !parse_list (self, keyfile, group, year, "workdays", DAY_MAKEUP, error))
        return FALSE;

      g_array_append_val (self->years, year);
    }

  /* GKeyFile merges repeated groups: each year appears once. */
  g_array_sort (self->years, compare_int);

  return TRUE;
}

static gboolean
year_covered (CoCalendar *self,
              int         year)
{
  for (guint i = 0; i < self->years->len; i++)
    {
      if (g_array_index (self->years, int, i) == year)
        return TRUE;
    }
  return FALSE;
}

static DayKind
day_kind (CoCalendar  *self,
          const GDate *day)
{
  gpointer jd = GUINT_TO_POINTER (g_date_get_julian (day));

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->days, jd));
}

/* GObject */

static void
co_calendar_finalize (GObject *object)
{
  CoCalendar *self = (CoCalendar *) object;

  g_clear_pointer (&self->days, g_hash_table_unref);
  g_clear_pointer (&self->years, g_array_unref);

  G_OBJECT_CLASS (co_calendar_parent_class)->finalize (object);
}

static void
co_calendar_class_init (CoCalendarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = co_calendar_finalize;
}

static void
co_calendar_init (CoCalendar *self)
{
  self->days = g_hash_table_new (NULL, NULL);
  self->years = g_array_new (TRUE, TRUE, sizeof (int));
}

/* Public API */

/**
 * co_calendar_new:
 *
 * An empty calendar: every year counts weekends only.
 *
 * Returns: (transfer full): a new #CoCalendar
 */
CoCalendar *
co_calendar_new (void)
{
  return g_object_new (CO_TYPE_CALENDAR, NULL);
}

/**
 * co_calendar_new_from_bytes:
 * @bytes: the key file's text (UTF-8)
 * @error: return location for a #CO_CALENDAR_ERROR
 *
 * Returns: (transfer full) (nullable): the calendar, or %NULL on error
 */
CoCalendar *
co_calendar_new_from_bytes (GBytes  *bytes,
                            GError **error)
{
  g_autoptr(CoCalendar) self = NULL;
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autoptr(GError) local_error = NULL;
  gconstpointer data;
  gsize size;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  keyfile = g_key_file_new ();
  if (!g_key_file_load_from_data (keyfile, size ? data : "", size, G_KEY_FILE_NONE,
                                  &local_error))
    {
      g_set_error (error, CO_CALENDAR_ERROR, CO_CALENDAR_ERROR_PARSE,
                   "Malformed calendar file: %s", local_error->message);
      return NULL;
    }

  self = co_calendar_new ();
  if (!load_keyfile (self, keyfile, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * co_calendar_new_from_file:
 * @path: a file such as data/holidays.ini
 * @error: return location for a #CO_CALENDAR_ERROR, or a #G_FILE_ERROR
 *   when the file cannot be read
 *
 * Returns: (transfer full) (nullable): the calendar, or %NULL on error
 */
CoCalendar *
co_calendar_new_from_file (const char  *path,
                           GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  CoCalendar *self;
  char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  bytes = g_bytes_new_take (contents, length);
  self = co_calendar_new_from_bytes (bytes, &local_error);
  if (self == NULL)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", display);
      return NULL;
    }

  return self;
}

gboolean
co_calendar_has_year (CoCalendar *self,
                      int         year)
{
  g_return_val_if_fail (CO_IS_CALENDAR (self), FALSE);

  return year_covered (self, year);
}

const int *
co_calendar_get_years (CoCalendar *self)
{
  g_return_val_if_fail (CO_IS_CALENDAR (self), NULL);

  return (const int *) (gpointer) self->years->data;
}

gboolean
co_calendar_is_holiday (CoCalendar  *self,
                        const GDate *day)
{
  g_return_val_if_fail (CO_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (day != NULL && g_date_valid (day), FALSE);

  return day_kind (self, day) == DAY_HOLIDAY;
}

gboolean
co_calendar_is_makeup_day (CoCalendar  *self,
                           const GDate *day)
{
  g_return_val_if_fail (CO_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (day != NULL && g_date_valid (day), FALSE);

  return day_kind (self, day) == DAY_MAKEUP;
}

gboolean
co_calendar_is_working_day (CoCalendar  *self,
                            const GDate *day)
{
  GDateWeekday wd;

  g_return_val_if_fail (CO_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (day != NULL && g_date_valid (day), FALSE);

  switch (day_kind (self, day))
    {
    case DAY_HOLIDAY:
      return FALSE;
    case DAY_MAKEUP:
      return TRUE;
    default:
      wd = g_date_get_weekday (day);
      return wd != G_DATE_SATURDAY && wd != G_DATE_SUNDAY;
    }
}

void
co_calendar_add_working_days (CoCalendar  *self,
                              const GDate *start,
                              guint        n,
                              GDate       *out,
                              gboolean    *estimated)
{
  GDate day;
  gboolean guessed = FALSE;

  g_return_if_fail (CO_IS_CALENDAR (self));
  g_return_if_fail (start != NULL && g_date_valid (start));
  g_return_if_fail (out != NULL);

  day = *start;
  while (n > 0)
    {
      g_date_add_days (&day, 1);
      if (!year_covered (self, g_date_get_year (&day)))
        guessed = TRUE;
      if (co_calendar_is_working_day (self, &day))
        n--;
    }

  *out = day;
  if (estimated != NULL)
    *estimated = guessed;
}
