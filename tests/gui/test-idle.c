/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The idle lock's timer against real input (issue #8), against the
 * reference server: under Xvfb, xdotool presses Shift or moves the pointer
 * (XTEST: the X server makes the events, GDK reads them like a person's)
 * once a second for longer than the idle time, and the window stays
 * unlocked; the input stops and it locks; input while locked does not
 * unlock it; input into a dialog of the window (the preferences) counts
 * too, and the dialog is hidden while locked (back for the same user,
 * gone for another). A controller of the test's own checks that the events did reach
 * GTK, so "not locked" cannot come from input that never arrived.
 */
#define G_LOG_DOMAIN "test-idle"

#include "config.h"

#include <gdk/x11/gdkx.h>

#include "co-gui-session-util.h"
#include "co-lock-screen.h"
#include "co-preferences-window.h"

#define LOCK_SECONDS 3
/* Input for longer than two idle times. */
#define INPUT_TICKS  8

typedef enum
{
  INPUT_KEY,
  INPUT_POINTER,
} InputKind;

/* What the test's controllers saw, and the ticks' record. */
typedef struct
{
  guint   n_keys;
  guint   n_motions;
  gint64  last_event;   /* monotonic, of any key or motion seen */
  gint64  longest_gap;  /* between two seen inputs of the kind sent, or
                         * since the first tick */

  GtkWindow *target;
  InputKind  kind;
  guint      tick;
  guint      n_ticks;
  guint      n_running; /* xdotool processes not yet done */
  guint      n_failed;
  gboolean   was_locked; /* at some tick */
} Watch;

static CoTestSession session;
static Watch watch;

/* Helpers */

static CoLockScreen *
get_lock (void)
{
  CoLockScreen *lock = co_lock_screen_get_for_window (GTK_WINDOW (session.window));

  g_assert_nonnull (lock);
  return lock;
}

static GtkWidget *
lock_child (CoLockScreen *lock,
            const char   *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (lock), CO_TYPE_LOCK_SCREEN, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static gboolean
locked_cb (gpointer user_data)
{
  return co_lock_screen_get_locked (user_data);
}

static gboolean
unlocked_cb (gpointer user_data)
{
  return !co_lock_screen_get_locked (user_data);
}

static void
set_idle_seconds (guint seconds)
{
  g_settings_set_uint (co_application_get_settings (session.app), "idle-lock-seconds", seconds);
}

static gboolean
watch_event_cb (GtkEventControllerLegacy *controller,
                GdkEvent                 *event,
                gpointer                  user_data)
{
  gint64 now = g_get_monotonic_time ();
  GdkEventType type = gdk_event_get_event_type (event);

  if (type != GDK_KEY_PRESS && type != GDK_MOTION_NOTIFY)
    return GDK_EVENT_PROPAGATE;

  if (type == GDK_KEY_PRESS)
    watch.n_keys++;
  else
    watch.n_motions++;

  /* The gaps between inputs of the kind being sent. */
  if ((type == GDK_KEY_PRESS) != (watch.kind == INPUT_KEY))
    return GDK_EVENT_PROPAGATE;

  if (watch.last_event != 0)
    watch.longest_gap = MAX (watch.longest_gap, now - watch.last_event);
  watch.last_event = now;

  return GDK_EVENT_PROPAGATE;
}

/* Counts the key presses and pointer motions @window gets. */
static void
watch_window (GtkWindow *window)
{
  GtkEventController *controller = gtk_event_controller_legacy_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "event", G_CALLBACK (watch_event_cb), NULL);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
}

static gulong
window_xid (GtkWindow *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  return (gulong) gdk_x11_surface_get_xid (surface);
}

static void
xdotool_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  watch.n_running--;
  if (!g_subprocess_wait_check_finish (G_SUBPROCESS (object), result, &error))
    {
      g_test_message ("xdotool: %s", error->message);
      watch.n_failed++;
    }
}

/* Runs xdotool with @argv (NULL-terminated), without blocking the main loop. */
static void
xdotool (const char * const *argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (args, (gpointer) "xdotool");
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *) args->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  watch.n_running++;
  g_subprocess_wait_check_async (process, NULL, xdotool_done_cb, NULL);
}

static gboolean
xdotool_idle_cb (gpointer user_data)
{
  return watch.n_running == 0;
}

/* One real input into watch.target: the pointer goes to a point inside
 * it (another point each tick: a warp to where it is makes no motion);
 * for keys, the pointer goes there at the first tick only, then Shift
 * goes down and up (the X server sends keys to the window under the
 * pointer when nobody manages the focus). */
static void
send_input (void)
{
  g_autofree char *id = g_strdup_printf ("%lu", window_xid (watch.target));
  static guint n_moves;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;

  /* Never the same point twice in a row, whichever call comes before. */
  n_moves++;
  x = g_strdup_printf ("%u", 20 + (n_moves % 2) * 40 + n_moves % 50);
  y = g_strdup_printf ("%u", 60 + (n_moves % 3) * 10);

  if (watch.kind == INPUT_KEY && watch.tick > 1)
    {
      xdotool ((const char * const[]) { "key", "--clearmodifiers", "shift", NULL });
      return;
    }
  if (watch.kind == INPUT_POINTER)
    {
      xdotool ((const char * const[]) { "mousemove", "--window", id, x, y, NULL });
      return;
    }

  xdotool ((const char * const[]) { "mousemove", "--window", id, x, y,
                                    "key", "--clearmodifiers", "shift", NULL });
}

static gboolean
tick_cb (gpointer user_data)
{
  if (co_lock_screen_get_locked (get_lock ()))
    watch.was_locked = TRUE;

  if (watch.tick >= watch.n_ticks)
    return G_SOURCE_REMOVE;

  watch.tick++;
  send_input ();
  return G_SOURCE_CONTINUE;
}

static gboolean
ticks_done_cb (gpointer user_data)
{
  return watch.tick >= watch.n_ticks && watch.n_running == 0;
}

static gboolean
all_seen_cb (gpointer user_data)
{
  return (watch.kind == INPUT_KEY ? watch.n_keys : watch.n_motions) >= watch.n_ticks;
}

/* @n_ticks inputs of @kind into @target, one a second; returns once all
 * were sent and xdotool is done. */
static void
send_inputs (GtkWindow *target,
             InputKind  kind,
             guint      n_ticks)
{
  guint tick_id;
  gint64 start;

  watch.target = target;
  watch.kind = kind;
  watch.tick = 0;
  watch.n_ticks = n_ticks;
  watch.n_failed = 0;
  watch.was_locked = FALSE;
  watch.longest_gap = 0;
  watch.n_keys = watch.n_motions = 0;

  start = g_get_monotonic_time ();
  watch.last_event = start;
  tick_cb (NULL);
  tick_id = g_timeout_add (1000, tick_cb, NULL);
  g_assert_true (co_test_wait_until (ticks_done_cb, NULL, (n_ticks + 10) * 1000));
  g_source_remove (tick_id);
  g_assert_true (co_test_wait_until (xdotool_idle_cb, NULL, CO_TEST_TIMEOUT_MS));
  /* The X server may hand the last input's events over after xdotool is
   * done: they are read before anything is asserted. */
  g_assert_true (co_test_wait_until (all_seen_cb, NULL, CO_TEST_TIMEOUT_MS));

  g_assert_cmpuint (watch.n_failed, ==, 0);
  g_test_message ("%u ticks in %.1f s: %u key presses, %u motions seen, longest gap %.2f s",
                  n_ticks, (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC,
                  watch.n_keys, watch.n_motions,
                  watch.longest_gap / (double) G_USEC_PER_SEC);
}

/* The events reached GTK (send_inputs() waited for one at least per
 * tick), never an idle time without any. */
static void
assert_inputs_seen (void)
{
  g_assert_cmpint (watch.longest_gap, <, (gint64) LOCK_SECONDS * G_USEC_PER_SEC);
}

static CoPreferencesWindow *
find_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (CO_IS_PREFERENCES_WINDOW (w) && gtk_widget_get_visible (w))
        return CO_PREFERENCES_WINDOW (w);
    }

  return NULL;
}

static gboolean
pointer_cleared_cb (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

static gboolean
preferences_gone_cb (gpointer user_data)
{
  return find_preferences () == NULL;
}

/* Tests */

static void
test_sign_in (void)
{
  CoSignInDialog *dialog = co_test_session_open_sign_in (&session);

  co_test_dialog_submit (dialog, "demo", "demo");
  g_assert_true (co_test_wait_until (co_test_dialog_gone_cb, NULL, CO_TEST_TIMEOUT_MS));
  co_test_session_wait_synced (&session);
  co_window_set_page (session.window, "students");
  co_test_wait_for_mapped (GTK_WIDGET (session.roster_page));
  watch_window (GTK_WINDOW (session.window));
}

/* Shift once a second for 8 s, with a 3 s idle time: never locked. */
static void
test_keys_keep_unlocked (void)
{
  CoLockScreen *lock = get_lock ();

  set_idle_seconds (LOCK_SECONDS);
  send_inputs (GTK_WINDOW (session.window), INPUT_KEY, INPUT_TICKS);
  assert_inputs_seen ();
  g_assert_false (watch.was_locked);
  g_assert_false (co_lock_screen_get_locked (lock));
}

/* The pointer moving, no key: never locked either. */
static void
test_pointer_keeps_unlocked (void)
{
  CoLockScreen *lock = get_lock ();

  send_inputs (GTK_WINDOW (session.window), INPUT_POINTER, INPUT_TICKS);
  assert_inputs_seen ();
  g_assert_false (watch.was_locked);
  g_assert_false (co_lock_screen_get_locked (lock));
}

/* The input stops: it locks, within the idle time and some. */
static void
test_locks_when_input_stops (void)
{
  CoLockScreen *lock = get_lock ();

  g_assert_false (co_lock_screen_get_locked (lock));
  g_assert_true (co_test_wait_until (locked_cb, lock, (LOCK_SECONDS + 10) * 1000));
  co_test_wait_for_mapped (GTK_WIDGET (lock));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (session.roster_page)));
}

/* Keys and motions while locked do not bring the window back. */
static void
test_input_while_locked (void)
{
  CoLockScreen *lock = get_lock ();

  g_assert_true (co_lock_screen_get_locked (lock));
  send_inputs (GTK_WINDOW (session.window), INPUT_KEY, 4);
  g_assert_cmpuint (watch.n_keys, >=, 4);
  send_inputs (GTK_WINDOW (session.window), INPUT_POINTER, 4);
  g_assert_cmpuint (watch.n_motions, >=, 4);
  g_assert_true (co_lock_screen_get_locked (lock));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (lock)));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (session.roster_page)));
  /* Shift typed nothing into the password. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (lock_child (lock, "password_row"))), ==, "");

  /* The password brings it back. */
  set_idle_seconds (0);
  gtk_editable_set_text (GTK_EDITABLE (lock_child (lock, "password_row")), "demo");
  g_signal_emit_by_name (lock_child (lock, "password_row"), "entry-activated");
  g_assert_true (co_test_wait_until (unlocked_cb, lock, CO_TEST_TIMEOUT_MS));
  co_test_wait_for_mapped (GTK_WIDGET (session.roster_page));
}

/* Somebody working in a dialog of the window (the preferences, modal)
 * is not idle: the window behind it does not lock. */
static void
test_dialog_input_counts (void)
{
  CoLockScreen *lock = get_lock ();
  CoPreferencesWindow *preferences;

  gtk_window_present (GTK_WINDOW (session.window));
  g_action_group_activate_action (G_ACTION_GROUP (session.app), "preferences", NULL);
  preferences = find_preferences ();
  g_assert_nonnull (preferences);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preferences)) == GTK_WINDOW (session.window));
  co_test_wait_for_mapped (GTK_WIDGET (preferences));
  watch_window (GTK_WINDOW (preferences));

  set_idle_seconds (LOCK_SECONDS);
  send_inputs (GTK_WINDOW (preferences), INPUT_KEY, INPUT_TICKS / 2);
  send_inputs (GTK_WINDOW (preferences), INPUT_POINTER, INPUT_TICKS / 2);
  g_assert_cmpuint (watch.n_motions, >=, INPUT_TICKS / 2);
  g_assert_cmpint (watch.longest_gap, <, (gint64) LOCK_SECONDS * G_USEC_PER_SEC);
  g_assert_false (watch.was_locked);
  g_assert_false (co_lock_screen_get_locked (lock));

  /* Nothing more comes: it locks, and the dialog leaves the screen with
   * the window's content (nobody changes the preferences meanwhile). */
  g_assert_true (co_test_wait_until (locked_cb, lock, (LOCK_SECONDS + 10) * 1000));
  set_idle_seconds (0);
  g_assert_true (co_test_wait_until (preferences_gone_cb, NULL, CO_TEST_TIMEOUT_MS));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (preferences)));

  /* The same user back: the dialog is back as it was. */
  gtk_editable_set_text (GTK_EDITABLE (lock_child (lock, "password_row")), "demo");
  g_signal_emit_by_name (lock_child (lock, "password_row"), "entry-activated");
  g_assert_true (co_test_wait_until (unlocked_cb, lock, CO_TEST_TIMEOUT_MS));
  g_assert_true (find_preferences () == preferences);
  co_test_wait_for_mapped (GTK_WIDGET (preferences));
  gtk_window_destroy (GTK_WINDOW (preferences));
  g_assert_true (co_test_wait_until (preferences_gone_cb, NULL, CO_TEST_TIMEOUT_MS));
}

/* Another user unlocking does not get the first one's dialogs. */
static void
test_dialog_other_user (void)
{
  CoLockScreen *lock = get_lock ();
  gpointer preferences;
  gpointer old_window = session.window;
  GList *windows;

  g_action_group_activate_action (G_ACTION_GROUP (session.app), "preferences", NULL);
  preferences = find_preferences ();
  g_assert_nonnull (preferences);
  co_test_wait_for_mapped (GTK_WIDGET (preferences));
  g_object_add_weak_pointer (G_OBJECT (preferences), &preferences);
  g_object_add_weak_pointer (G_OBJECT (old_window), &old_window);

  co_lock_screen_lock (lock);
  g_assert_true (co_test_wait_until (preferences_gone_cb, NULL, CO_TEST_TIMEOUT_MS));
  gtk_editable_set_text (GTK_EDITABLE (lock_child (lock, "username_row")), "demo2");
  gtk_editable_set_text (GTK_EDITABLE (lock_child (lock, "password_row")), "demo2");
  g_signal_emit_by_name (lock_child (lock, "password_row"), "entry-activated");
  g_assert_true (co_test_wait_until (pointer_cleared_cb, &old_window, CO_TEST_TIMEOUT_MS));
  /* The old window went, and its hidden dialog with it. */
  g_assert_true (co_test_wait_until (pointer_cleared_cb, &preferences, CO_TEST_TIMEOUT_MS));
  g_assert_null (find_preferences ());

  windows = gtk_application_get_windows (GTK_APPLICATION (session.app));
  session.window = NULL;
  for (const GList *l = windows; l != NULL; l = l->next)
    if (CO_IS_WINDOW (l->data))
      session.window = CO_WINDOW (l->data);
  g_assert_nonnull (session.window);
  session.roster_page = CO_ROSTER_PAGE (gtk_widget_get_template_child (GTK_WIDGET (session.window),
                                                                        CO_TYPE_WINDOW, "roster_page"));
  co_test_wait_for_mapped (GTK_WIDGET (session.window));
  co_test_session_wait_synced (&session);
  g_assert_cmpstr (co_client_get_username (co_test_session_get_client (&session)), ==, "demo2");
}

int
main (int   argc,
      char *argv[])
{
  const char * const server_args[] = { "--demo", "--demo-size", "20", NULL };
  g_autofree char *xdotool_path = g_find_program_in_path ("xdotool");
  int ret;

  test_server_parse_args (&argc, argv);
  co_test_set_locale ("C.UTF-8");

  if (!co_test_init_gui (&argc, &argv))
    return CO_TEST_EXIT_SKIP;
  if (test_server_binary () == NULL)
    {
      g_printerr ("no reference server: skipping\n");
      return CO_TEST_EXIT_SKIP;
    }
  if (xdotool_path == NULL)
    {
      g_printerr ("no xdotool: skipping\n");
      return CO_TEST_EXIT_SKIP;
    }
  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_printerr ("not on X11 (xdotool needs it): skipping\n");
      return CO_TEST_EXIT_SKIP;
    }

  co_test_session_start (&session, server_args);

  /* In order: each goes on from where the last left the app. */
  g_test_add_func ("/gui/idle/sign-in", test_sign_in);
  g_test_add_func ("/gui/idle/keys-keep-unlocked", test_keys_keep_unlocked);
  g_test_add_func ("/gui/idle/pointer-keeps-unlocked", test_pointer_keeps_unlocked);
  g_test_add_func ("/gui/idle/locks-when-input-stops", test_locks_when_input_stops);
  g_test_add_func ("/gui/idle/input-while-locked", test_input_while_locked);
  g_test_add_func ("/gui/idle/dialog-input-counts", test_dialog_input_counts);
  g_test_add_func ("/gui/idle/dialog-other-user", test_dialog_other_user);

  ret = g_test_run ();

  co_test_session_stop (&session);

  return ret;
}
