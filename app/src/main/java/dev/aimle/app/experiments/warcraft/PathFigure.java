package dev.aimle.app.experiments.warcraft;

import dev.aimle.app.report.Charts;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A figure of Warcraft maps with their true paths (green squares) and a model's suggested paths
 * (red dots), side by side; and a stack of such figures with a caption each, for the report.
 */
final class PathFigure {
    /** Pixels per map pixel, so that a 96-pixel map reads at a glance. */
    private static final int ZOOM = 3;

    private static final int CAPTION = 22;

    private PathFigure() {}

    /**
     * Writes the first {@code n} maps of {@code split} with their true paths and {@code suggested}
     * ({@code n·k·k} cells in {0, 1}) as one PNG row.
     */
    static void write(Path file, WarcraftSplit split, int n, float[] suggested) throws IOException {
        Charts.preferHeadless();
        int side = split.imageSide();
        int grid = split.grid();
        int cells = grid * grid;
        if (suggested.length != n * cells) {
            throw new IllegalArgumentException(
                    "suggested paths hold " + suggested.length + " cells, expected " + n + " maps of " + cells);
        }
        int tile = side * ZOOM;
        BufferedImage image = new BufferedImage(n * (tile + 4), tile, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        byte[] maps = split.maps();
        float[] truth = split.paths();
        double cell = (double) tile / grid;
        for (int m = 0; m < n; m++) {
            int left = m * (tile + 4);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int at = ((m * side + y) * side + x) * 3;
                    g.setColor(new Color(maps[at] & 0xff, maps[at + 1] & 0xff, maps[at + 2] & 0xff));
                    g.fillRect(left + x * ZOOM, y * ZOOM, ZOOM, ZOOM);
                }
            }
            g.setStroke(new BasicStroke(2.5f));
            for (int c = 0; c < cells; c++) {
                int cx = left + (int) Math.round((c % grid) * cell);
                int cy = (int) Math.round((c / grid) * cell);
                if (truth[m * cells + c] > 0.5f) {
                    g.setColor(new Color(40, 230, 60));
                    g.drawRect(cx + 2, cy + 2, (int) cell - 4, (int) cell - 4);
                }
                if (suggested[m * cells + c] > 0.5f) {
                    g.setColor(new Color(235, 30, 30));
                    int r = (int) (cell / 3);
                    g.fillOval(cx + (int) (cell / 2) - r / 2, cy + (int) (cell / 2) - r / 2, r, r);
                }
            }
        }
        g.dispose();
        writePng(file, image);
    }

    /** A captioned entry of {@link #stack}. */
    record Panel(String caption, Path png) {}

    /** Stacks the PNGs of {@code panels}, each under its caption, into {@code file}. */
    static void stack(Path file, String title, List<Panel> panels) throws IOException {
        Charts.preferHeadless();
        int width = 0;
        int height = CAPTION;
        BufferedImage[] images = new BufferedImage[panels.size()];
        for (int i = 0; i < images.length; i++) {
            images[i] = ImageIO.read(panels.get(i).png().toFile());
            if (images[i] == null) {
                throw new IOException(panels.get(i).png() + " is not an image ImageIO can read");
            }
            width = Math.max(width, images[i].getWidth());
            height += CAPTION + images[i].getHeight();
        }
        BufferedImage out = new BufferedImage(Math.max(width, 400), height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 4, CAPTION - 6);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int y = CAPTION;
        for (int i = 0; i < images.length; i++) {
            g.drawString(panels.get(i).caption(), 4, y + CAPTION - 6);
            y += CAPTION;
            g.drawImage(images[i], 0, y, null);
            y += images[i].getHeight();
        }
        g.dispose();
        writePng(file, out);
    }

    private static void writePng(Path file, BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", bytes)) {
            throw new IOException("no PNG writer for " + file);
        }
        // written beside and moved in, so a kill leaves the old figure or the new one, never half of one
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes.toByteArray());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
