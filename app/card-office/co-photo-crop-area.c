/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The photo with the card's 13:16 frame over it: drag inside the frame to
 * move it, drag its bottom-right handle to resize it (the ratio is kept);
 * from the keyboard, the arrows move it and + / − resize it. Outside the
 * frame the photo is dimmed: that part is cut off.
 */
#define G_LOG_DOMAIN "co-photo-crop-area"

#include "config.h"

#include <string.h>

#include "co-photo-crop-area.h"

#define HANDLE_SIZE     12.0
#define HANDLE_GRAB     18.0
#define BORDER_WIDTH    2.0
#define KEY_STEPS       40    /* an arrow moves the frame 1/40 of its width */
#define RESIZE_PERCENT  5

typedef enum
{
  DRAG_NONE,
  DRAG_MOVE,
  DRAG_RESIZE,
} DragMode;

struct _CoPhotoCropArea
{
  GtkWidget    parent_instance;

  /* Owned references */
  GdkTexture  *texture;

  CoPhotoCrop  crop;
  CoPhotoCrop  drag_start;
  DragMode     drag_mode;
};

G_DEFINE_FINAL_TYPE (CoPhotoCropArea, co_photo_crop_area, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* Helpers */

/* Where the photo is drawn: its scale and top-left corner. */
static gboolean
get_layout (CoPhotoCropArea *self,
            double          *scale,
            double          *ox,
            double          *oy)
{
  int w = gtk_widget_get_width (GTK_WIDGET (self));
  int h = gtk_widget_get_height (GTK_WIDGET (self));
  int pw, ph;

  if (self->texture == NULL || w <= 0 || h <= 0)
    return FALSE;

  pw = gdk_texture_get_width (self->texture);
  ph = gdk_texture_get_height (self->texture);
  *scale = MIN ((double) w / pw, (double) h / ph);
  *ox = (w - pw * *scale) / 2;
  *oy = (h - ph * *scale) / 2;
  return TRUE;
}

static void
set_crop_internal (CoPhotoCropArea   *self,
                   const CoPhotoCrop *crop)
{
  CoPhotoCrop c = *crop;

  if (self->texture == NULL)
    return;

  co_photo_crop_clamp (gdk_texture_get_width (self->texture),
                       gdk_texture_get_height (self->texture),
                       CO_IMPORT_PHOTO_MIN_WIDTH, &c);
  if (memcmp (&c, &self->crop, sizeof c) == 0)
    return;

  self->crop = c;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals [CHANGED], 0);
}

/* Callbacks */

static void
on_drag_begin_cb (GtkGestureDrag  *gesture,
                  double           x,
                  double           y,
                  CoPhotoCropArea *self)
{
  double scale, ox, oy;
  double cx0, cy0, cx1, cy1;

  self->drag_mode = DRAG_NONE;
  if (!get_layout (self, &scale, &ox, &oy))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  gtk_widget_grab_focus (GTK_WIDGET (self));

  cx0 = ox + self->crop.x * scale;
  cy0 = oy + self->crop.y * scale;
  cx1 = cx0 + self->crop.width * scale;
  cy1 = cy0 + self->crop.height * scale;

  if (ABS (x - cx1) <= HANDLE_GRAB && ABS (y - cy1) <= HANDLE_GRAB)
    self->drag_mode = DRAG_RESIZE;
  else
    {
      /* Outside the frame: the frame jumps there, then follows. */
      if (x < cx0 || x > cx1 || y < cy0 || y > cy1)
        {
          CoPhotoCrop c = self->crop;

          c.x = (int) ((x - ox) / scale - c.width / 2.0);
          c.y = (int) ((y - oy) / scale - c.height / 2.0);
          set_crop_internal (self, &c);
        }
      self->drag_mode = DRAG_MOVE;
    }

  self->drag_start = self->crop;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_drag_update_cb (GtkGestureDrag  *gesture,
                   double           dx,
                   double           dy,
                   CoPhotoCropArea *self)
{
  CoPhotoCrop c = self->drag_start;
  double scale, ox, oy;

  if (self->drag_mode == DRAG_NONE || !get_layout (self, &scale, &ox, &oy))
    return;

  if (self->drag_mode == DRAG_MOVE)
    {
      c.x = (int) (c.x + dx / scale);
      c.y = (int) (c.y + dy / scale);
    }
  else
    {
      /* The top-left corner stays; the handle follows the pointer, the
       * ratio deciding between its two directions. */
      double grow = (dx + dy * CO_IMPORT_PHOTO_WIDTH_MM / CO_IMPORT_PHOTO_HEIGHT_MM) / 2 / scale;
      int max_w = MIN (gdk_texture_get_width (self->texture) - c.x,
                       (gdk_texture_get_height (self->texture) - c.y)
                       * CO_IMPORT_PHOTO_WIDTH_MM / CO_IMPORT_PHOTO_HEIGHT_MM);

      c.width = MIN ((int) (c.width + grow), max_w);
    }

  set_crop_internal (self, &c);
}

static void
on_drag_end_cb (GtkGestureDrag  *gesture,
                double           dx,
                double           dy,
                CoPhotoCropArea *self)
{
  self->drag_mode = DRAG_NONE;
}

static void
co_photo_crop_area_move_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  CoPhotoCropArea *self = CO_PHOTO_CROP_AREA (widget);
  CoPhotoCrop c = self->crop;
  int step = MAX (1, c.width / KEY_STEPS);
  int dx, dy;

  g_variant_get (parameter, "(ii)", &dx, &dy);
  c.x += dx * step;
  c.y += dy * step;
  set_crop_internal (self, &c);
}

static void
co_photo_crop_area_resize_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  CoPhotoCropArea *self = CO_PHOTO_CROP_AREA (widget);
  CoPhotoCrop c = self->crop;
  int grow = g_variant_get_int32 (parameter) * MAX (2, c.width * RESIZE_PERCENT / 100);
  int w = c.width + grow;

  /* Around the centre. */
  c.x -= grow / 2;
  c.y -= (w * CO_IMPORT_PHOTO_HEIGHT_MM / CO_IMPORT_PHOTO_WIDTH_MM - c.height) / 2;
  c.width = w;
  set_crop_internal (self, &c);
}

/* GtkWidget overrides */

static void
co_photo_crop_area_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  CoPhotoCropArea *self = CO_PHOTO_CROP_AREA (widget);
  GdkRGBA shade = { 0, 0, 0, 0.55 };
  GdkRGBA line = { 1, 1, 1, 1 };
  double scale, ox, oy;
  graphene_rect_t photo, frame;
  GskRoundedRect border;
  float widths[4] = { BORDER_WIDTH, BORDER_WIDTH, BORDER_WIDTH, BORDER_WIDTH };
  GdkRGBA colors[4];

  if (!get_layout (self, &scale, &ox, &oy))
    return;

  if (gtk_widget_has_focus (widget))
    /* The accent blue: the arrows move this frame now. */
    line = (GdkRGBA) { 0.21, 0.52, 0.89, 1 };
  for (guint i = 0; i < 4; i++)
    colors[i] = line;

  graphene_rect_init (&photo, ox, oy,
                      gdk_texture_get_width (self->texture) * scale,
                      gdk_texture_get_height (self->texture) * scale);
  graphene_rect_init (&frame, ox + self->crop.x * scale, oy + self->crop.y * scale,
                      self->crop.width * scale, self->crop.height * scale);

  gtk_snapshot_append_texture (snapshot, self->texture, &photo);

  /* What is cut off, dimmed: above, below, left and right of the frame. */
  gtk_snapshot_append_color (snapshot, &shade,
                             &GRAPHENE_RECT_INIT (photo.origin.x, photo.origin.y, photo.size.width,
                                                  frame.origin.y - photo.origin.y));
  gtk_snapshot_append_color (snapshot, &shade,
                             &GRAPHENE_RECT_INIT (photo.origin.x, frame.origin.y + frame.size.height,
                                                  photo.size.width,
                                                  photo.origin.y + photo.size.height
                                                  - frame.origin.y - frame.size.height));
  gtk_snapshot_append_color (snapshot, &shade,
                             &GRAPHENE_RECT_INIT (photo.origin.x, frame.origin.y,
                                                  frame.origin.x - photo.origin.x, frame.size.height));
  gtk_snapshot_append_color (snapshot, &shade,
                             &GRAPHENE_RECT_INIT (frame.origin.x + frame.size.width, frame.origin.y,
                                                  photo.origin.x + photo.size.width
                                                  - frame.origin.x - frame.size.width,
                                                  frame.size.height));

  gsk_rounded_rect_init_from_rect (&border, &frame, 0);
  gtk_snapshot_append_border (snapshot, &border, widths, colors);

  /* The resize handle. */
  gtk_snapshot_append_color (snapshot, &line,
                             &GRAPHENE_RECT_INIT (frame.origin.x + frame.size.width - HANDLE_SIZE / 2,
                                                  frame.origin.y + frame.size.height - HANDLE_SIZE / 2,
                                                  HANDLE_SIZE, HANDLE_SIZE));
}

static void
co_photo_crop_area_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 480;
    }
  else
    {
      *minimum = 240;
      *natural = 400;
    }
}

static void
on_focus_changed_cb (GtkEventControllerFocus *controller,
                     CoPhotoCropArea         *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* GObject overrides */

static void
co_photo_crop_area_dispose (GObject *object)
{
  CoPhotoCropArea *self = CO_PHOTO_CROP_AREA (object);

  g_clear_object (&self->texture);

  G_OBJECT_CLASS (co_photo_crop_area_parent_class)->dispose (object);
}

static void
add_move_binding (GtkWidgetClass *widget_class,
                  guint           keyval,
                  int             dx,
                  int             dy)
{
  gtk_widget_class_add_binding_action (widget_class, keyval, 0, "crop.move", "(ii)", dx, dy);
}

static void
co_photo_crop_area_class_init (CoPhotoCropAreaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_photo_crop_area_dispose;
  widget_class->snapshot = co_photo_crop_area_snapshot;
  widget_class->measure = co_photo_crop_area_measure;

  /**
   * CoPhotoCropArea::changed:
   *
   * The frame moved or was resized.
   */
  signals [CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "crop.move", "(ii)", co_photo_crop_area_move_action);
  gtk_widget_class_install_action (widget_class, "crop.resize", "i", co_photo_crop_area_resize_action);

  add_move_binding (widget_class, GDK_KEY_Left, -1, 0);
  add_move_binding (widget_class, GDK_KEY_KP_Left, -1, 0);
  add_move_binding (widget_class, GDK_KEY_Right, 1, 0);
  add_move_binding (widget_class, GDK_KEY_KP_Right, 1, 0);
  add_move_binding (widget_class, GDK_KEY_Up, 0, -1);
  add_move_binding (widget_class, GDK_KEY_KP_Up, 0, -1);
  add_move_binding (widget_class, GDK_KEY_Down, 0, 1);
  add_move_binding (widget_class, GDK_KEY_KP_Down, 0, 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "crop.resize", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "crop.resize", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "crop.resize", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "crop.resize", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "crop.resize", "i", -1);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "co-photo-crop-area");
}

static void
co_photo_crop_area_init (CoPhotoCropArea *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "move");

  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (focus, "enter", G_CALLBACK (on_focus_changed_cb), self);
  g_signal_connect (focus, "leave", G_CALLBACK (on_focus_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "crop.move", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "crop.resize", FALSE);
}

/* Public API */

GtkWidget *
co_photo_crop_area_new (void)
{
  return g_object_new (CO_TYPE_PHOTO_CROP_AREA, NULL);
}

void
co_photo_crop_clamp (int          width,
                     int          height,
                     int          min_width,
                     CoPhotoCrop *crop)
{
  int max_w;
  int min_w;

  g_return_if_fail (width > 0 && height > 0);
  g_return_if_fail (crop != NULL);

  max_w = MIN (width, (int) ((gint64) height * CO_IMPORT_PHOTO_WIDTH_MM / CO_IMPORT_PHOTO_HEIGHT_MM));
  min_w = MIN (MAX (min_width, 1), max_w);

  crop->width = CLAMP (crop->width, min_w, max_w);
  crop->height = (int) ((gint64) crop->width * CO_IMPORT_PHOTO_HEIGHT_MM / CO_IMPORT_PHOTO_WIDTH_MM);
  crop->height = MIN (crop->height, height);
  crop->x = CLAMP (crop->x, 0, width - crop->width);
  crop->y = CLAMP (crop->y, 0, height - crop->height);
}

void
co_photo_crop_area_set_photo (CoPhotoCropArea *self,
                              GdkTexture      *texture)
{
  g_return_if_fail (CO_IS_PHOTO_CROP_AREA (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  g_set_object (&self->texture, texture);
  memset (&self->crop, 0, sizeof self->crop);
  self->drag_mode = DRAG_NONE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "crop.move", texture != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "crop.resize", texture != NULL);

  if (texture != NULL)
    {
      CoPhotoCrop c;

      co_import_photo_crop (gdk_texture_get_width (texture), gdk_texture_get_height (texture),
                            &c.x, &c.y, &c.width, &c.height);
      set_crop_internal (self, &c);
    }
  else
    g_signal_emit (self, signals [CHANGED], 0);

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
co_photo_crop_area_get_crop (CoPhotoCropArea *self,
                             CoPhotoCrop     *crop)
{
  g_return_val_if_fail (CO_IS_PHOTO_CROP_AREA (self), FALSE);
  g_return_val_if_fail (crop != NULL, FALSE);

  if (self->texture == NULL)
    return FALSE;

  *crop = self->crop;
  return TRUE;
}

void
co_photo_crop_area_set_crop (CoPhotoCropArea   *self,
                             const CoPhotoCrop *crop)
{
  g_return_if_fail (CO_IS_PHOTO_CROP_AREA (self));
  g_return_if_fail (crop != NULL);

  set_crop_internal (self, crop);
}
