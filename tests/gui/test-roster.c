/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The Students page against the reference server (--demo): sign in through
 * the dialog, sync, then search by every kind of key (name substring, full
 * pinyin, initials, mixed, education ID and card number prefixes) and the
 * polyphonic surnames (曾 zeng, 单 shan, ...), and filter. Saves
 * <build>/tests/gui/roster-zh_CN.png.
 */
#define G_LOG_DOMAIN "test-roster"

#include "config.h"

#include "co-gui-session-util.h"
#include "co-search-pinyin.h"

static CoTestSession session;
static gboolean chinese;

/* Students with polyphonic surnames, created on the server with known
 * names: what finds them, and what must not (the surname reading only). */
static const struct
{
  const char *name;
  const char *finds[3];
  const char *misses;
} people[] = {
  { "曾小明", { "zengxiaoming", "zxm", "zengxm" }, "cengxiaoming" },
  { "单雄信", { "shanxiongxin", "sxx", "shanxiongx" }, "danxiongxin" },
  { "解晓东", { "xiexiaodong", "xxd", "xiexd" }, "jiexiaodong" },
  { "仇海", { "qiuhai", "qh", "qiuh" }, "chouhai" },
  { "区志明", { "ouzhiming", "ozm", "ouzhim" }, "quzhiming" },
  { "朴成", { "piaocheng", "pc", "piaoch" }, "pucheng" },
  { "查明", { "zhaming", "zm", "zham" }, "chaming" },
  { "欧阳修", { "ouyangxiu", "oyx", "ouyangx" }, NULL },
  { "尉迟恭", { "yuchigong", "ycg", "yuchig" }, "weichigong" },
};

static char *edu_ids[G_N_ELEMENTS (people)];

/* Helpers */

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CoStudent **student = user_data;
  g_autoptr(GError) error = NULL;

  *student = co_client_dev_create_student_finish (CO_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

/* The named students, made through a client of our own (the app signs in
 * later through its dialog). */
static void
create_people (void)
{
  g_autoptr(CoClient) client = co_client_new (session.server->url);

  co_test_client_sign_in (client, "demo", "demo", CO_TEST_TIMEOUT_MS);

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      CoDevStudent spec = { NULL, people[i].name, i % 2 ? CO_GENDER_FEMALE : CO_GENDER_MALE,
                            3 + (int) i, "2班", -1, NULL };
      g_autoptr(CoStudent) student = NULL;

      co_client_dev_create_student_async (client, &spec, NULL, NULL, create_cb, &student);
      g_assert_true (co_test_wait_until (co_test_is_set_cb, &student, CO_TEST_TIMEOUT_MS));
      edu_ids[i] = g_strdup (co_student_get_edu_id (student));
    }
}

typedef struct
{
  const char *text;
  const char *edu_id;   /* must be shown, or must not when @absent */
  gboolean    absent;
  gboolean  (*row_ok) (CoStudent *student, const char *text);
} Expect;

static gboolean
results_cb (gpointer user_data)
{
  Expect *expect = user_data;
  GListModel *results = co_roster_page_get_results (session.roster_page);
  gboolean found = FALSE;

  if (!co_roster_page_get_ready (session.roster_page))
    return FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(CoStudent) student = g_list_model_get_item (results, i);

      if (g_strcmp0 (co_student_get_edu_id (student), expect->edu_id) == 0)
        found = TRUE;
      if (expect->row_ok != NULL && !expect->row_ok (student, expect->text))
        return FALSE;
    }

  return found != expect->absent;
}

/* Types @text into the search entry; waits until the list shows it. */
static guint
search (const char *text,
        const char *edu_id,
        gboolean    absent,
        gboolean  (*row_ok) (CoStudent *, const char *))
{
  GtkWidget *entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (session.roster_page),
                                                                CO_TYPE_ROSTER_PAGE, "search_entry"));
  Expect expect = { text, edu_id, absent, row_ok };
  guint n;

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  /* Apply now rather than after the entry's typing delay. */
  g_signal_emit_by_name (entry, "search-changed");

  if (!co_test_wait_until (results_cb, &expect, CO_TEST_TIMEOUT_MS))
    g_error ("search “%s”: student %s %s", text, edu_id, absent ? "still shown" : "not shown");

  n = g_list_model_get_n_items (co_roster_page_get_results (session.roster_page));
  g_test_message ("search “%s”: %u rows", text, n);
  return n;
}

static gboolean
name_contains (CoStudent  *student,
               const char *text)
{
  return strstr (co_student_get_name (student), text) != NULL;
}

static gboolean
has_prefix_ci (const char *value,
               const char *prefix)
{
  return value != NULL && g_ascii_strncasecmp (value, prefix, strlen (prefix)) == 0;
}

static gboolean
number_has_prefix (CoStudent  *student,
                   const char *text)
{
  return has_prefix_ci (co_student_get_edu_id (student), text) ||
         has_prefix_ci (co_student_get_card_no (student), text) ||
         has_prefix_ci (co_student_get_bjt_no (student), text);
}

static gboolean
in_name_order (GListModel *results)
{
  g_autofree char *previous = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(CoStudent) student = g_list_model_get_item (results, i);
      char *key = co_search_pinyin_sort_key (co_student_get_name (student));

      if (previous != NULL && strcmp (previous, key) > 0)
        {
          g_free (key);
          return FALSE;
        }
      g_free (previous);
      previous = key;
    }

  return TRUE;
}

typedef struct
{
  const char *text;
  GtkLabel   *label;
} FindLabel;

static void
find_label (GtkWidget *widget,
            FindLabel *find)
{
  if (find->label != NULL)
    return;
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), find->text) == 0)
    {
      find->label = GTK_LABEL (widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    find_label (child, find);
}

static gboolean
label_shown_cb (gpointer user_data)
{
  FindLabel *find = user_data;

  find->label = NULL;
  find_label (GTK_WIDGET (session.roster_page), find);
  return find->label != NULL;
}

/* Tests */

static void
test_sign_in_and_sync (void)
{
  CoSignInDialog *dialog = co_test_session_open_sign_in (&session);

  co_test_dialog_submit (dialog, "demo", "demo");
  g_assert_true (co_test_wait_until (co_test_dialog_gone_cb, NULL, CO_TEST_TIMEOUT_MS));
  co_test_session_wait_synced (&session);

  g_assert_cmpuint (g_list_model_get_n_items (co_roster_page_get_results (session.roster_page)), ==,
                    co_store_get_n_students (co_test_session_get_store (&session)));
  g_assert_true (in_name_order (co_roster_page_get_results (session.roster_page)));
  g_assert_cmpstr (g_settings_get_string (co_application_get_settings (session.app), "username"), ==, "demo");
}

static void
test_search_name (void)
{
  guint n_all = co_store_get_n_students (co_test_session_get_store (&session));

  g_assert_cmpuint (search ("雄信", edu_ids[1], FALSE, name_contains), <, n_all);
  g_assert_cmpuint (search ("小明", edu_ids[0], FALSE, name_contains), <, n_all);
  search ("曾", edu_ids[0], FALSE, name_contains);
  g_assert_true (in_name_order (co_roster_page_get_results (session.roster_page)));
}

static void
test_search_pinyin (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      /* full pinyin, initials, mixed */
      for (guint k = 0; k < G_N_ELEMENTS (people[i].finds); k++)
        search (people[i].finds[k], edu_ids[i], FALSE, NULL);
      /* upper case and spaces are ignored */
      {
        g_autofree char *upper = g_ascii_strup (people[i].finds[0], -1);

        search (upper, edu_ids[i], FALSE, NULL);
      }
      /* the surname is read as a surname */
      if (people[i].misses != NULL)
        search (people[i].misses, edu_ids[i], TRUE, NULL);
    }
}

static void
test_search_numbers (void)
{
  CoStore *store = co_test_session_get_store (&session);
  GListModel *students = co_store_get_students (store);
  guint n_all = g_list_model_get_n_items (students);
  g_autoptr(CoStudent) student = NULL;
  g_autofree char *edu_prefix = NULL;
  g_autofree char *card_prefix = NULL;
  const char *card_no;

  for (guint i = n_all / 2; i < n_all && student == NULL; i++)
    {
      g_autoptr(CoStudent) s = g_list_model_get_item (students, i);

      if (co_student_get_card_no (s) != NULL && strlen (co_student_get_card_no (s)) > 4)
        student = g_steal_pointer (&s);
    }
  g_assert_nonnull (student);

  edu_prefix = g_strndup (co_student_get_edu_id (student), 6);
  g_assert_cmpuint (search (edu_prefix, co_student_get_edu_id (student), FALSE, number_has_prefix), <, n_all);
  search (co_student_get_edu_id (student), co_student_get_edu_id (student), FALSE, number_has_prefix);

  card_no = co_student_get_card_no (student);
  card_prefix = g_strndup (card_no, strlen (card_no) - 2);
  g_assert_cmpuint (search (card_prefix, co_student_get_edu_id (student), FALSE, number_has_prefix), <, n_all);
  search (card_no, co_student_get_edu_id (student), FALSE, number_has_prefix);
}

static gboolean
is_grade_5 (CoStudent  *student,
            const char *text)
{
  return co_student_get_grade (student) == 5;
}

static void
test_filters (void)
{
  GtkDropDown *grade = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (session.roster_page),
                                                                     CO_TYPE_ROSTER_PAGE, "grade_dropdown"));
  GtkDropDown *stage = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (session.roster_page),
                                                                     CO_TYPE_ROSTER_PAGE, "stage_dropdown"));

  /* 仇海 is in grade 6, 解晓东 in grade 5 */
  gtk_drop_down_set_selected (grade, 5);
  search ("", edu_ids[2], FALSE, is_grade_5);
  search ("", edu_ids[3], TRUE, is_grade_5);
  gtk_drop_down_set_selected (grade, 0);

  /* 尉迟恭 is in grade 11 (senior): not in primary */
  gtk_drop_down_set_selected (stage, 1 + CO_STAGE_PRIMARY);
  search ("yuchigong", edu_ids[8], TRUE, NULL);
  gtk_drop_down_set_selected (stage, 1 + CO_STAGE_SENIOR);
  search ("yuchigong", edu_ids[8], FALSE, NULL);
  gtk_drop_down_set_selected (stage, 0);
}

static void
on_student_activated_cb (CoRosterPage *page,
                         CoStudent    *student,
                         CoStudent   **out)
{
  *out = g_object_ref (student);
}

static void
test_activate_and_screenshot (void)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (gtk_widget_get_template_child (GTK_WIDGET (session.roster_page),
                                                                        CO_TYPE_ROSTER_PAGE, "column_view"));
  FindLabel find = { "单雄信", NULL };
  g_autoptr(CoStudent) activated = NULL;

  search ("shan", edu_ids[1], FALSE, NULL);

  /* The row is drawn, with real glyphs. */
  g_assert_true (co_test_wait_until (label_shown_cb, &find, CO_TEST_TIMEOUT_MS));
  g_assert_cmpint (pango_layout_get_unknown_glyphs_count (gtk_label_get_layout (find.label)), ==, 0);

  g_signal_connect (session.roster_page, "student-activated", G_CALLBACK (on_student_activated_cb), &activated);
  g_signal_emit_by_name (view, "activate", 0);
  g_assert_nonnull (activated);
  g_signal_handlers_disconnect_by_func (session.roster_page, on_student_activated_cb, &activated);

  /* Activating the row opened the student page: back to the roster, with
   * no crossfade under way, so the picture shows the roster alone. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  co_window_set_page (session.window, "students");
  g_assert_cmpstr (co_window_get_page_name (session.window), ==, "students");
  co_test_wait_for_paint (GTK_WIDGET (session.window), CO_TEST_TIMEOUT_MS);
  co_test_save_screenshot (GTK_WIDGET (session.window), chinese ? "roster-zh_CN.png" : "roster-C.png");
}

int
main (int   argc,
      char *argv[])
{
  const char * const server_args[] = { "--demo", NULL };
  int ret;

  if (!co_test_session_init (&argc, &argv, &chinese))
    return CO_TEST_EXIT_SKIP;

  co_test_session_start (&session, server_args);
  create_people ();

  g_test_add_func ("/gui/roster/sign-in-and-sync", test_sign_in_and_sync);
  g_test_add_func ("/gui/roster/search/name", test_search_name);
  g_test_add_func ("/gui/roster/search/pinyin", test_search_pinyin);
  g_test_add_func ("/gui/roster/search/numbers", test_search_numbers);
  g_test_add_func ("/gui/roster/filters", test_filters);
  g_test_add_func ("/gui/roster/activate-and-screenshot", test_activate_and_screenshot);

  ret = g_test_run ();

  co_test_session_stop (&session);
  for (guint i = 0; i < G_N_ELEMENTS (edu_ids); i++)
    g_free (edu_ids[i]);

  return ret;
}
