/* cpec-map: draws a cpec-mapper catalog payload on a Leaflet map.
 *
 * An asset shows when its programme, sector and status are all ticked (and, with the year slider,
 * when it existed by then). Points cluster while they are crowded and spread out on click; lines
 * and areas are picked by distance, so the nearest line answers the pointer. Search, the table,
 * the permalink (URL hash) and the downloads all read the same state. Leaflet is extended only
 * through its public extension points (L.Class.extend, a renderer passed to each layer); every
 * string from the data reaches the page through textContent or attributes, never innerHTML.
 */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var NARROW = 600; /* below this width (px) the panel starts collapsed and popups take the screen */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  /* Without Leaflet or Supercluster (the online page could not reach its CDN) say so, and point to the offline copy. */
  if (typeof window.L === "undefined" || typeof window.Supercluster === "undefined") {
    window.cpecMapper = { views: [], failed: true, load: function () { return null; } };
    document.addEventListener("DOMContentLoaded", function () {
      var data = document.querySelector("script[data-offline-copy]"), copy = data && data.getAttribute("data-offline-copy");
      var box = el("div", "cpec-failure");
      box.setAttribute("role", "alert");
      box.appendChild(el("strong", null, "The map could not load its scripts."));
      box.appendChild(el("p", null, "This page fetches Leaflet from the internet, which is not reachable now."));
      if (copy) {
        var p = el("p", null, "Open the copy that works with no network: ");
        var a = el("a", null, copy);
        a.href = copy;
        p.appendChild(a);
        box.appendChild(p);
      }
      document.body.insertBefore(box, document.body.firstChild);
    });
    return;
  }

  /* --- symbols ----------------------------------------------------------------------------- */

  function polygonCorners(sides, rotation, scale) {
    var pts = [];
    for (var i = 0; i < sides; i++) {
      var a = rotation + (2 * Math.PI * i) / sides;
      pts.push([Math.cos(a) * scale, Math.sin(a) * scale]);
    }
    return pts;
  }
  function starCorners() {
    var pts = [];
    for (var i = 0; i < 10; i++) {
      var a = -Math.PI / 2 + (Math.PI * i) / 5, r = i % 2 ? 0.45 : 1.1;
      pts.push([r * Math.cos(a), r * Math.sin(a)]);
    }
    return pts;
  }
  var CORNERS = {
    triangle: polygonCorners(3, -Math.PI / 2, 1.2).map(function (p) { return [p[0], p[1] + 0.2]; }),
    square: polygonCorners(4, Math.PI / 4, 1),
    diamond: polygonCorners(4, 0, 1.2),
    hexagon: polygonCorners(6, 0, 1),
    pentagon: polygonCorners(5, -Math.PI / 2, 1.1),
    star: starCorners()
  };

  function symbolPath(x, y, r, shape) {
    var corners = CORNERS[shape];
    if (!corners) {
      return "M" + (x - r) + "," + y + "a" + r + "," + r + " 0 1,0 " + 2 * r + ",0a" + r + "," + r + " 0 1,0 " + -2 * r + ",0z";
    }
    return corners.map(function (p, i) {
      return (i ? "L" : "M") + (x + p[0] * r).toFixed(2) + "," + (y + p[1] * r).toFixed(2);
    }).join("") + "z";
  }

  /* A point drawn as its sector's symbol, by an SVG renderer that knows the symbols. Everything the
     catalog draws is SVG: the browser rasterises SVG off the main thread, where a canvas of thousands
     of lines held up a large map's first frame (make bench measured it). */
  var SymbolMarker = L.CircleMarker.extend({
    _updatePath: function () { this._renderer._updateSymbol(this); }
  });

  var SymbolSVG = L.SVG.extend({
    _updateSymbol: function (layer) {
      var p = layer._point;
      this._setPath(layer, layer._empty() ? "M0 0" : symbolPath(p.x, p.y, layer._radius, layer.options.shape));
    }
  });

  function isSymbol(layer) { return layer instanceof SymbolMarker; }

  /* --- decoding the compact payload ------------------------------------------------------ */

  function decodePart(flat, scale) {
    var out = new Array(flat.length / 2), x = 0, y = 0;
    for (var i = 0; i < flat.length; i += 2) {
      x += flat[i];
      y += flat[i + 1];
      out[i / 2] = new L.LatLng(y / scale, x / scale);
    }
    return out;
  }
  function decodeNested(c, depth, scale) {
    return depth === 0 ? decodePart(c, scale) : c.map(function (p) { return decodeNested(p, depth - 1, scale); });
  }
  /* geometry kinds: 0 Point, 1 LineString, 2 MultiLineString, 3 Polygon, 4 MultiPolygon, 5 MultiPoint */
  var DEPTH = [0, 0, 1, 1, 2, 0];
  var GEOJSON_TYPE = ["Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "MultiPoint"];
  function decodeGeometry(kind, c, scale) {
    if (kind === 0) { return L.latLng(c[1] / scale, c[0] / scale); }
    return decodeNested(c, DEPTH[kind], scale);
  }
  function lonLats(geometry, digits) {
    if (geometry instanceof L.LatLng) { return [+geometry.lng.toFixed(digits), +geometry.lat.toFixed(digits)]; }
    return geometry.map(function (g) { return lonLats(g, digits); });
  }

  /* One row's properties, with dictionary codes looked up (built when first asked for). */
  function featureProperties(data, i) {
    var col = data.columns, dict = data.dict, props = {};
    Object.keys(col).forEach(function (key) {
      var value = col[key][i];
      if (dict[key] && value !== null) {
        value = Array.isArray(value) ? value.map(function (v) { return dict[key][v]; }) : dict[key][value];
      }
      props[key] = value;
    });
    props.sources = (props.sources || []).map(function (s) {
      var source = L.extend({}, data.documents[data.sources[s].doc], data.sources[s]);
      delete source.doc;
      return source;
    });
    return props;
  }

  /* A GeoJSON-like feature whose properties are decoded on first use (popup, search, table). */
  function LazyFeature(data, i) {
    this._data = data;
    this._row = i;
    this._props = null;
  }
  LazyFeature.prototype.type = "Feature";
  Object.defineProperty(LazyFeature.prototype, "properties", {
    get: function () { return this._props || (this._props = featureProperties(this._data, this._row)); }
  });

  /* --- words ------------------------------------------------------------------------------- */

  /* Names compared without case, accents, spaces or punctuation: "M 5" = "M-5" = "m5". */
  function fold(text) {
    return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]/g, "");
  }
  /* Fewest edits (insert, delete, substitute, swap) turning the query into some part of the text. */
  function substringDistance(query, text) {
    var m = query.length, n = text.length, prev2 = null, prev = new Array(n + 1), cur, i, j;
    for (j = 0; j <= n; j++) { prev[j] = 0; }
    for (i = 1; i <= m; i++) {
      cur = new Array(n + 1);
      cur[0] = i;
      for (j = 1; j <= n; j++) {
        var cost = query[i - 1] === text[j - 1] ? 0 : 1;
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && query[i - 1] === text[j - 2] && query[i - 2] === text[j - 1]) {
          cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
        }
      }
      prev2 = prev;
      prev = cur;
    }
    return Math.min.apply(null, prev);
  }
  /* "12,345.6": rounded to at most `digits` decimals, thousands separated. Not Intl.NumberFormat:
     the first one a page makes costs Chromium ~20 ms of locale data, at every map's start. */
  function number(value, digits) {
    var scale = Math.pow(10, digits || 0), parts = String(Math.round(value * scale) / scale).split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return parts.join(".");
  }
  function isWebUrl(url) { return typeof url === "string" && /^https?:\/\//i.test(url); }
  function slug(text) { return fold(String(text).replace(/\s+/g, "-")).slice(0, 60) || "cpec-assets"; }

  function symbolSvg(shape, fill, stroke, lineStyle) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("width", "26");
    svg.setAttribute("height", "16");
    svg.setAttribute("class", "cpec-symbol");
    svg.setAttribute("aria-hidden", "true");
    function path(d, attrs) {
      var p = document.createElementNS(SVG_NS, "path");
      p.setAttribute("d", d);
      Object.keys(attrs).forEach(function (k) { if (attrs[k] !== null && attrs[k] !== undefined) { p.setAttribute(k, attrs[k]); } });
      svg.appendChild(p);
    }
    if (lineStyle) {
      if (lineStyle.ticks) { path("M1,8L25,8", { stroke: fill, "stroke-width": 9, "stroke-dasharray": "1.5 5", fill: "none" }); }
      path("M1,8L25,8", { stroke: fill, "stroke-width": lineStyle.weight, "stroke-dasharray": lineStyle.dash, fill: "none" });
    } else {
      path(symbolPath(13, 8, 6, shape), { fill: fill.fill, stroke: fill.stroke, "stroke-width": fill.weight || 1, "stroke-dasharray": fill.dash });
    }
    return svg;
  }

  /* --- clusters ------------------------------------------------------------------------------ */

  /* A counted marker for the points that crowd one spot at the zoom drawn. */
  var ClusterMarker = L.Marker.extend({
    getChildCount: function () { return this.count; },
    spiderfy: function () { this.group.spiderfy(this); }
  });

  /* Up to this zoom one index serves; a deeper one (a third of the work) is built on the first zoom past it. */
  var COARSE_ZOOM = 12;

  /* Points that crowd together at the zoom drawn show as one counted marker. Supercluster's index
     answers which for each view; it is rebuilt when the members change, which takes milliseconds
     for thousands of points, where building a cluster tree marker by marker took most of a large
     map's start. A click on a cluster zooms to where it splits; at the deepest zoom it spreads its
     points on legs around it. Events of the points shown reach this layer's listeners.
     Options: shareOf(marker) names the thing a marker is one part of (null: itself), so a cluster
     counts things, not symbols. */
  var PointClusters = L.Layer.extend({
    options: { radius: 36, legSpacing: 45, legStyle: {}, iconCreateFunction: null, shareOf: function () { return null; } },

    initialize: function (options) {
      L.setOptions(this, options);
      this._members = {};
      this._list = [];
      this._indexes = null;
      this._dirty = true;
      this._drawn = {};
      this._clusters = {};
      this._drawnZoom = null;
      this._spread = null;
      this._shown = L.featureGroup();
      this._shown.addEventParent(this);
      this._legs = L.layerGroup();
    },

    onAdd: function (map) {
      this._shown.addTo(map);
      this._legs.addTo(map);
      map.on("zoomstart click", this.unspiderfy, this);
      map.on("moveend", this._draw, this);
      this._draw();
    },

    onRemove: function (map) {
      this._gather();
      map.off("zoomstart click", this.unspiderfy, this);
      map.off("moveend", this._draw, this);
      this._shown.clearLayers().remove();
      this._legs.remove();
      this._drawn = {};
    },

    hasLayer: function (m) { return L.stamp(m) in this._members; },

    addLayers: function (markers) {
      for (var k = 0; k < markers.length; k++) { this._members[L.stamp(markers[k])] = markers[k]; }
      this._dirty = true;
      return this;
    },

    removeLayers: function (markers) {
      for (var k = 0; k < markers.length; k++) { delete this._members[L.stamp(markers[k])]; }
      this._dirty = true;
      return this;
    },

    /* Redraw after the members changed. */
    refreshClusters: function () {
      this._draw();
      return this;
    },

    _build: function () {
      var members = this._members, shareOf = this.options.shareOf;
      this._gather();
      this._list = Object.keys(members).map(function (id) { return members[id]; });
      this._points = this._list.map(function (m, k) {
        var ll = m.getLatLng(), share = shareOf(m);
        return { type: "Feature", properties: { k: k, n: share === null ? 1 : 0, s: share === null ? null : [share] },
                 geometry: { type: "Point", coordinates: [ll.lng, ll.lat] } };
      });
      this._indexes = {};
      this._drawnZoom = null;  /* cluster markers of the old index are not reused */
      this._dirty = false;
    },

    /* The index for a zoom, built when first needed. */
    _index: function (zoom) {
      var map = this._map, deepest = Math.ceil(map.getMaxZoom()), top = Math.min(COARSE_ZOOM, deepest);
      var maxZoom = zoom <= top ? top : deepest;
      if (!this._indexes[maxZoom]) {
        this._indexes[maxZoom] = new Supercluster({
          radius: this.options.radius, extent: 256, minZoom: Math.floor(map.getMinZoom()), maxZoom: maxZoom,
          map: function (p) { return { n: p.n, s: p.s }; },
          reduce: function (acc, p) { acc.n += p.n; if (p.s) { acc.s = acc.s ? acc.s.concat(p.s) : p.s.slice(); } }
        }).load(this._points);
      }
      return this._indexes[maxZoom];
    },

    /* Show what the index gives for the padded view; keep a spread cluster spread while the map pans. */
    _draw: function () {
      var map = this._map;
      if (!map) { return; }
      if (this._dirty) { this._build(); }
      var zoom = Math.round(map.getZoom()), group = this, list = this._list, next = {}, index = this._index(zoom);
      if (zoom !== this._drawnZoom) { this._clusters = {}; this._drawnZoom = zoom; }
      var b = map.getBounds().pad(0.5);
      var bbox = [Math.max(b.getWest(), -180), Math.max(b.getSouth(), -85), Math.min(b.getEast(), 180), Math.min(b.getNorth(), 85)];
      index.getClusters(bbox, zoom).forEach(function (item) {
        var p = item.properties;
        if (!p.cluster) {
          next[L.stamp(list[p.k])] = list[p.k];
        } else if (p.n === 0 && (p.s || []).every(function (s) { return s === p.s[0]; })) {
          /* the parts of one thing (a dam and its powerhouse): its own symbols, not a cluster saying "1" */
          index.getLeaves(item.id, Infinity).forEach(function (f) { next[L.stamp(list[f.properties.k])] = list[f.properties.k]; });
        } else {
          var c = group._cluster(item, index);
          next[L.stamp(c)] = c;
        }
      });
      if (this._spread) { this._spread.homes.forEach(function (h) { next[L.stamp(h[0])] = h[0]; }); }
      var shown = this._shown, drawn = this._drawn;
      Object.keys(drawn).forEach(function (id) { if (!next[id]) { shown.removeLayer(drawn[id]); } });
      Object.keys(next).forEach(function (id) { if (!drawn[id]) { shown.addLayer(next[id]); } });
      this._drawn = next;
    },

    _cluster: function (item, index) {
      var c = this._clusters[item.id];
      if (!c) {
        var p = item.properties, at = item.geometry.coordinates, shares = {};
        (p.s || []).forEach(function (s) { shares[s] = true; });
        c = this._clusters[item.id] = new ClusterMarker(L.latLng(at[1], at[0]));
        c.group = this;
        c.index = index;
        c.clusterId = item.id;
        c.count = p.n + Object.keys(shares).length;
        c.options.title = c.count + " here: select to zoom in";
        c.setIcon(this.options.iconCreateFunction(c));
        c.on("click keypress", this._open, this);
      }
      return c;
    },

    leaves: function (cluster) {
      var list = this._list;
      return cluster.index.getLeaves(cluster.clusterId, Infinity).map(function (f) { return list[f.properties.k]; });
    },

    /* The marker standing for a member where the map shows it: itself, or the cluster holding it. */
    getVisibleParent: function (m) {
      if (!this.hasLayer(m)) { return null; }
      if (this._map && this._map.hasLayer(m)) { return m; }
      var drawn = this._drawn, group = this;
      var holder = Object.keys(drawn).map(function (id) { return drawn[id]; }).filter(function (layer) {
        return layer instanceof ClusterMarker && group.leaves(layer).indexOf(m) >= 0;
      });
      return holder[0] || null;
    },

    /* A click, or Enter or Space on a focused cluster (Leaflet turns Enter into a click only for markers
       with a popup). From the keyboard, the focus then moves to the cluster now standing there, if any. */
    _open: function (e) {
      var cluster = e.target, map = this._map, key = e.type === "keypress" && e.originalEvent.key;
      if (key !== false && key !== "Enter" && key !== " ") { return; }
      if (key) { L.DomEvent.preventDefault(e.originalEvent); }
      var zoom = Math.min(cluster.index.getClusterExpansionZoom(cluster.clusterId), map.getMaxZoom());
      if (zoom > map.getZoom()) {
        if (key) { map.once("moveend", function () { this._focusNear(cluster.getLatLng()); }, this); }
        map.setView(cluster.getLatLng(), zoom);
      } else {
        this.spiderfy(cluster);
      }
    },

    _focusNear: function (latlng) {
      var map = this._map, drawn = this._drawn, at = map.latLngToContainerPoint(latlng), best = null, bestD = 60;
      Object.keys(drawn).forEach(function (id) {
        var layer = drawn[id], d = map.latLngToContainerPoint(layer.getLatLng()).distanceTo(at);
        if (layer instanceof ClusterMarker && d < bestD) { best = layer; bestD = d; }
      });
      (best ? best.getElement() : map.getContainer()).focus();
    },

    /* Spread a cluster's points around it, on a circle when they are few, else on a spiral. */
    spiderfy: function (cluster) {
      this.unspiderfy();
      var map = this._map, centre = map.latLngToLayerPoint(cluster.getLatLng()), leaves = this.leaves(cluster);
      var n = leaves.length, gap = this.options.legSpacing, legs = this._legs, style = this.options.legStyle;
      var spread = this._spread = { cluster: cluster, homes: [] };
      leaves.forEach(function (m, k) {
        var angle, r;
        if (n < 9) {
          r = Math.max(gap * (n + 2) / (2 * Math.PI), gap / 1.5);
          angle = (2 * Math.PI * k) / n;
        } else {
          angle = 1.2 * Math.sqrt(k + 1) * Math.PI;
          r = gap * 0.35 * (2 + angle);
        }
        var at = map.layerPointToLatLng(centre.add([r * Math.cos(angle), r * Math.sin(angle)]));
        spread.homes.push([m, m.getLatLng()]);
        legs.addLayer(L.polyline([cluster.getLatLng(), at], style));
        m.setLatLng(at);
      });
      cluster.setOpacity(0.35);
      this._draw();
    },

    unspiderfy: function () {
      if (this._gather()) { this._draw(); }
    },

    /* Put spread points back where they belong; says whether any were spread. */
    _gather: function () {
      var spread = this._spread;
      if (!spread) { return false; }
      this._spread = null;
      spread.homes.forEach(function (h) { h[0].setLatLng(h[1]); });
      spread.cluster.setOpacity(1);
      this._legs.clearLayers();
      return true;
    }
  });

  /* --- the view ---------------------------------------------------------------------------- */

  var GROUPS = ["programme", "sector", "status"];
  var GROUP_TITLES = { programme: "Programme", sector: "Sector", status: "Status" };

  function CatalogView(map, data) {
    var view = this;
    this.map = map;
    this.data = data;
    this.style = data.style;
    this.title = data.title;
    this.page = data.page || {};
    this.scale = Math.pow(10, data.precision);
    this.year = null;
    this.state = {};
    this.values = {};
    GROUPS.forEach(function (g) {
      var present = {};
      (data.dict[g] || []).forEach(function (w) { present[w] = true; });
      view.values[g] = (view.style.order[g] || []).filter(function (w) { return present[w]; });
      view.state[g] = {};
      view.values[g].forEach(function (w) { view.state[g][w] = true; });
    });
    /* The view first (from the link, else fitted to the data), so that nothing drawn below is projected twice. */
    var restored = this.readHash();
    if (!restored && data.bounds) {
      map.fitBounds([[data.bounds[1], data.bounds[0]], [data.bounds[3], data.bounds[2]]], { padding: [24, 24], maxZoom: 11, animate: false });
    }
    this.renderer = new SymbolSVG({ padding: 0.3 });
    this.cluster = new PointClusters({
      radius: 36, legSpacing: 45,
      legStyle: { weight: 1.5, color: "#222", opacity: 0.5, interactive: false },
      iconCreateFunction: function (cluster) { return view.clusterIcon(cluster); },
      shareOf: function (m) { return m.asset.markers.length > 1 ? m.asset.i : null; }
    }).addTo(map);
    this.areas = L.layerGroup().addTo(map);
    if (this.page.basemap) { this.drawBasemap(this.page.basemap); }
    /* Credits are ours, not data, but they still go in as text (attribution is HTML). */
    (this.page.credits || []).forEach(function (c) { map.attributionControl.addAttribution(c.replace(/[&<>"]/g, "")); });
    this.assets = [];
    this.layers = [];
    var n = data.columns.id.length;
    for (var i = 0; i < n; i++) { this.assets.push(this.makeAsset(i)); }
    this.popup = L.popup({ maxWidth: 340, minWidth: 220, autoPanPadding: [12, 12], className: "cpec-popup-wrap" });
    this.tip = L.tooltip({ direction: "top", offset: [0, -8], className: "cpec-tip" });
    this.bindPointer();
    this.control = new CatalogControl(this).addTo(map);
    this.search = new SearchControl(this).addTo(map);
    this.table = new AssetTable(this);
    this.refresh();
    map.on("moveend", function () { view.writeHash(); });
    window.addEventListener("hashchange", function () { if (location.hash !== view._hash) { view.readHash(); view.refresh(); } });
    window.addEventListener("beforeprint", function () { map.invalidateSize(); });
    this.ready = true;
  }

  CatalogView.prototype.drawBasemap = function (base) {
    var map = this.map;
    map.createPane("cpec-base").style.zIndex = 150;
    map.createPane("cpec-labels").style.zIndex = 450;
    map.getContainer().classList.add("cpec-offline");
    var renderer = L.svg({ pane: "cpec-base", padding: 0.5 });
    base.layers.forEach(function (layer) {
      var scale = Math.pow(10, layer.precision);
      layer.countries.forEach(function (c) {
        var home = c[0] === "Pakistan", tint = c[0].length % 3;
        L.polygon(decodeGeometry(c[1], c[2], scale), {
          renderer: renderer, interactive: false, stroke: home, color: "#6b6b6b", weight: 1.3,
          fillColor: home ? "#f6f3ea" : ["#e4e2dc", "#dcdad3", "#e9e7e1"][tint], fillOpacity: 1
        }).addTo(map);
      });
    });
    var towns = base.towns, tscale = Math.pow(10, towns.precision), labels = L.layerGroup().addTo(map);
    /* Towns come largest first; a label is placed only where it overlaps none placed before it. */
    function update() {
      var zoom = map.getZoom(), size = map.getSize(), placed = [];
      labels.clearLayers();
      for (var i = 0; i < towns.names.length; i++) {
        if (towns.zooms[i] > zoom) { continue; }
        var ll = L.latLng(towns.coords[2 * i + 1] / tscale, towns.coords[2 * i] / tscale), p = map.latLngToContainerPoint(ll);
        if (p.x < -50 || p.y < -20 || p.x > size.x + 50 || p.y > size.y + 20) { continue; }
        var big = towns.zooms[i] <= 6, w = towns.names[i].length * (big ? 7.5 : 6.3) + 10, h = big ? 16 : 14;
        var box = L.bounds([p.x - 8, p.y - h / 2], [p.x + w, p.y + h / 2]);
        if (placed.some(function (b) { return b.intersects(box); })) { continue; }
        placed.push(box);
        labels.addLayer(L.marker(ll, {
          pane: "cpec-labels", interactive: false, keyboard: false,
          icon: L.divIcon({ className: "cpec-town" + (big ? " cpec-town-big" : ""), html: el("span", null, towns.names[i]), iconSize: null })
        }));
      }
    }
    map.on("moveend", update);
    map.whenReady(update);
  };

  CatalogView.prototype.clusterIcon = function (cluster) {
    var n = cluster.getChildCount();
    var label = el("span", null, n);
    var icon = L.divIcon({ html: label, className: "cpec-cluster cpec-cluster-" + (n < 10 ? "s" : n < 50 ? "m" : "l"), iconSize: L.point(34, 34) });
    icon.options.n = n;
    return icon;
  };

  /* One asset: its layers (a symbol, a line, an area with a symbol inside it, or several symbols). */
  CatalogView.prototype.makeAsset = function (i) {
    var data = this.data, kind = data.kinds[i], view = this;
    var asset = {
      i: i, kind: kind, feature: new LazyFeature(data, i),
      sector: data.dict.sector[data.columns.sector[i]],
      status: data.dict.status[data.columns.status[i]],
      programme: data.columns.programme ? data.dict.programme[data.columns.programme[i]] : "CPEC",
      subtype: data.columns.subtype && data.columns.subtype[i] !== null ? data.dict.subtype[data.columns.subtype[i]] : null,
      history: data.history ? data.history[i] : null,
      layers: [], markers: [], shapes: [], visible: false
    };
    asset.kindName = kind === 0 || kind === 5 ? "point" : kind <= 2 ? "line" : "polygon";
    asset.effStatus = asset.status;
    var geometry = decodeGeometry(kind, data.coords[i], this.scale);
    var points = kind === 0 ? [geometry] : kind === 5 ? geometry : [];
    if (data.anchors[i]) { points.push(L.latLng(data.anchors[i][1] / this.scale, data.anchors[i][0] / this.scale)); }
    if (kind === 1 || kind === 2) {
      var ls = this.lineStyle(asset);
      if (ls.ticks) { asset.shapes.push(L.polyline(geometry, { renderer: this.renderer, interactive: false, ticks: true })); }
      asset.shapes.push(L.polyline(geometry, { renderer: this.renderer, interactive: false }));
    } else if (kind === 3 || kind === 4) {
      asset.shapes.push(L.polygon(geometry, { renderer: this.renderer, interactive: false }));
    }
    /* On a map of what documents name, an asset named by more documents stands out: the area grows with the count. */
    var named = data.columns.document_count ? data.columns.document_count[i] : null, radius = named > 1 ? Math.min(7 * Math.sqrt(named), 21) : 7;
    points.forEach(function (p) {
      var m = new SymbolMarker(p, { renderer: view.renderer, radius: radius, shape: view.style.shapes[asset.sector] });
      m.asset = asset;
      m.feature = asset.feature;
      asset.markers.push(m);
    });
    asset.shapes.forEach(function (s) { s.asset = asset; s.feature = asset.feature; });
    asset.layers = asset.shapes.concat(asset.markers);
    asset.main = asset.markers[0] || asset.shapes[asset.shapes.length - 1];
    asset.main.cpecKind = asset.kindName;
    this.layers.push(asset.main);
    this.restyle(asset);
    return asset;
  };

  CatalogView.prototype.lineStyle = function (asset) {
    var key = this.style.lineOfSubtype[asset.subtype] || "line";
    return this.style.lines[key];
  };

  CatalogView.prototype.restyle = function (asset) {
    var style = this.style, colour = style.colours[asset.effStatus] || "#555", prog = style.programmes[asset.programme] || style.programmes.CPEC;
    var ls = asset.kindName === "line" ? this.lineStyle(asset) : null;
    asset.markers.forEach(function (m) {
      m.setStyle({
        color: prog.fill ? colour : "#222", weight: prog.weight, fillColor: prog.fill || colour, fillOpacity: 0.95,
        dashArray: prog.dash, fillRule: "nonzero"
      });
    });
    asset.shapes.forEach(function (s) {
      if (ls) {
        s.setStyle(s.options.ticks
          ? { color: colour, weight: 9, dashArray: "1.5 9", lineCap: "butt", opacity: prog.lineOpacity }
          : { color: colour, weight: ls.weight, dashArray: ls.dash, opacity: prog.lineOpacity });
      } else {
        var outline = style.outlineOnly.indexOf(asset.subtype) >= 0;
        s.setStyle({
          color: colour, weight: 2, fillColor: colour,
          fillOpacity: outline ? style.outlineFill : prog.fill ? style.areaFill * 0.4 : style.areaFill,
          dashArray: asset.effStatus === "planned" ? "6 5" : prog.dash
        });
      }
    });
  };

  /* The status an asset had at the end of a year: that of its last history entry dated by then
     (a "YYYY-MM" date counts as within its year), or null when no entry is that old. */
  CatalogView.prototype.statusIn = function (asset, year) {
    if (year === null || !asset.history || !asset.history.length) { return asset.status; }
    var code = null;
    for (var k = 0; k < asset.history.length; k++) { if (asset.history[k][0] <= year) { code = asset.history[k][1]; } }
    return code === null ? null : this.data.dict.status[code];
  };

  CatalogView.prototype.passes = function (asset, skip) {
    var state = this.state;
    return asset.effStatus !== null && (skip === "programme" || state.programme[asset.programme] !== false) &&
      (skip === "sector" || state.sector[asset.sector] !== false) && (skip === "status" || state.status[asset.effStatus] !== false);
  };

  /* Apply the filters and the year: which assets show, their colours, counts, totals, table, hash. */
  CatalogView.prototype.refresh = function () {
    var view = this, add = [], remove = [], year = this.year;
    this.assets.forEach(function (asset) {
      var status = view.statusIn(asset, year);
      if (status !== asset.effStatus) {
        asset.effStatus = status;
        if (status !== null) { view.restyle(asset); }
      }
      var visible = view.passes(asset);
      if (visible !== asset.visible) {
        (visible ? add : remove).push.apply(visible ? add : remove, asset.layers);
        asset.visible = visible;
      }
    });
    this.cluster.removeLayers(remove.filter(isSymbol));
    this.cluster.addLayers(add.filter(isSymbol));
    remove.forEach(function (layer) { if (!isSymbol(layer)) { view.areas.removeLayer(layer); } });
    add.forEach(function (layer) { if (!isSymbol(layer)) { view.areas.addLayer(layer); } });
    if (add.length + remove.length) { this.cluster.refreshClusters(); }
    this.control.update(this.counts(), this.totals());
    this.table.update();
    this.search.rerun();
    this.writeHash();
  };

  CatalogView.prototype.counts = function () {
    var view = this, counts = {};
    GROUPS.forEach(function (g) {
      counts[g] = {};
      view.values[g].forEach(function (w) { counts[g][w] = 0; });
      view.assets.forEach(function (a) {
        if (view.passes(a, g)) {
          var w = g === "status" ? a.effStatus : a[g];
          counts[g][w] = (counts[g][w] || 0) + 1;
        }
      });
    });
    return counts;
  };

  CatalogView.prototype.shownAssets = function () { return this.assets.filter(function (a) { return a.visible; }); };

  CatalogView.prototype.totals = function () {
    var t = { n: 0, mw: 0, km: 0, usd: 0 }, cols = this.data.columns;
    this.shownAssets().forEach(function (a) {
      t.n++;
      t.mw += (cols.capacity_mw && cols.capacity_mw[a.i]) || 0;
      t.km += (cols.length_km && cols.length_km[a.i]) || 0;
      t.usd += (cols.cost_usd_m && cols.cost_usd_m[a.i]) || 0;
    });
    t.of = this.assets.length;
    return t;
  };

  CatalogView.prototype.shownCount = function () { return this.shownAssets().length; };

  /* What is shown, by kind, with the ids: what tests compare with the data. */
  CatalogView.prototype.visible = function () {
    var counts = { point: 0, line: 0, polygon: 0, ids: [] };
    this.shownAssets().forEach(function (a) {
      counts[a.kindName]++;
      counts.ids.push(a.feature.properties.id);
    });
    return counts;
  };

  CatalogView.prototype.find = function (id) {
    return this.assets.filter(function (a) { return a.feature.properties.id === id; })[0];
  };

  /* --- pointer: tooltips and popups -------------------------------------------------------- */

  CatalogView.prototype.bindPointer = function () {
    var view = this, map = this.map, container = map.getContainer();
    this.pointer = "mouse";
    container.addEventListener("pointerdown", function (e) { view.pointer = e.pointerType; }, true);
    container.addEventListener("pointermove", function (e) { view.pointer = e.pointerType; }, true);
    this.cluster.on("mouseover", function (e) {
      if (e.layer.asset && view.pointer === "mouse") { view.overPoint = true; view.showTip(e.layer.asset, e.layer.getLatLng()); }
    });
    this.cluster.on("mouseout", function () { view.overPoint = false; view.hideTip(); });
    this.cluster.on("click", function (e) {
      if (!e.layer.asset) { return; }
      L.DomEvent.stopPropagation(e);
      view.openPopup(e.layer.asset, e.layer.getLatLng());
    });
    map.on("mousemove", function (e) {
      if (view.overPoint || view.pointer !== "mouse") { return; }
      var hit = view.pick(e.containerPoint, 8);
      container.classList.toggle("cpec-pointing", !!hit);
      if (hit) { view.showTip(hit.asset, hit.latlng); } else { view.hideTip(); }
    });
    map.on("mouseout", function () { view.hideTip(); });
    map.on("click", function (e) {
      view.hideTip();
      var target = e.originalEvent && e.originalEvent.target;
      if (target && target.closest && target.closest(".marker-cluster, .cpec-cluster")) { return; }
      var hit = view.pick(e.containerPoint, view.pointer === "mouse" ? 8 : 16);
      if (hit) { view.openPopup(hit.asset, hit.latlng); }
    });
    map.on("popupopen", function () { view.hideTip(); });
    /* Escape closes the open popup wherever the focus is (after a search or a table row, it is not on the map). */
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && map.hasLayer(view.popup)) { map.closePopup(); }
    });
  };

  function segmentDistance(p, a, b) { return L.LineUtil.pointToSegmentDistance(p, a, b); }
  function inRing(p, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var a = ring[i], b = ring[j];
      if ((a.y > p.y) !== (b.y > p.y) && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) { inside = !inside; }
    }
    return inside;
  }

  /* The asset under a screen point: the nearest line within tol pixels, else the smallest area around it. */
  CatalogView.prototype.pick = function (point, tol) {
    var map = this.map, best = null, bestD = tol, area = null, areaSize = Infinity;
    var near = L.bounds(point.subtract([tol, tol]), point.add([tol, tol]));
    this.assets.forEach(function (asset) {
      if (!asset.visible || asset.kindName === "point") { return; }
      asset.shapes.forEach(function (shape) {
        if (!map.hasLayer(shape) || shape.options.ticks) { return; }
        var b = shape.getBounds(), box = L.bounds(map.latLngToContainerPoint(b.getNorthWest()), map.latLngToContainerPoint(b.getSouthEast()));
        if (!box.intersects(near)) { return; }
        var rings = shape.getLatLngs();
        if (asset.kindName === "line") {
          (rings[0] instanceof L.LatLng ? [rings] : rings).forEach(function (line) {
            var pts = line.map(function (ll) { return map.latLngToContainerPoint(ll); });
            for (var k = 1; k < pts.length; k++) {
              var d = segmentDistance(point, pts[k - 1], pts[k]);
              if (d <= bestD) {
                bestD = d;
                best = { asset: asset, latlng: map.containerPointToLatLng(L.LineUtil.closestPointOnSegment(point, pts[k - 1], pts[k])) };
              }
            }
          });
        } else {
          var size = box.getSize().x * box.getSize().y;
          (rings[0] instanceof L.LatLng ? [[rings]] : rings[0][0] instanceof L.LatLng ? [rings] : rings).forEach(function (poly) {
            var outer = poly[0].map(function (ll) { return map.latLngToContainerPoint(ll); });
            var holes = poly.slice(1).some(function (h) { return inRing(point, h.map(function (ll) { return map.latLngToContainerPoint(ll); })); });
            if (inRing(point, outer) && !holes && size < areaSize) {
              areaSize = size;
              area = { asset: asset, latlng: map.containerPointToLatLng(point) };
            }
          });
        }
      });
    });
    return best || area;
  };

  CatalogView.prototype.showTip = function (asset, latlng) {
    var p = asset.feature.properties, box = el("span");
    box.appendChild(el("strong", null, p.name));
    box.appendChild(el("span", "cpec-tip-kind", " " + this.describe(asset)));
    this.tip.setLatLng(latlng).setContent(box);
    if (!this.map.hasLayer(this.tip)) { this.tip.openOn(this.map); }
  };
  CatalogView.prototype.hideTip = function () {
    if (this.map.hasLayer(this.tip)) { this.map.removeLayer(this.tip); }
    this.map.getContainer().classList.remove("cpec-pointing");
  };

  CatalogView.prototype.describe = function (asset) {
    var labels = this.style.labels, parts = [labels.sector[asset.sector]];
    parts.push(asset.effStatus ? labels.status[asset.effStatus] : "not yet begun");
    if (asset.programme !== "CPEC") { parts.push(labels.programme[asset.programme]); }
    return parts.join(" · ");
  };

  CatalogView.prototype.narrow = function () { return this.map.getSize().x < NARROW; };

  /* Open an asset's popup (an asset, or its id); on a phone the panel and table make room first. */
  CatalogView.prototype.openPopup = function (asset, latlng) {
    if (typeof asset === "string") { asset = this.find(asset); }
    if (this.narrow()) {
      this.control.collapse(true);
      this.table.close();
    }
    var at = latlng || (asset.main.getLatLng ? asset.main.getLatLng() : asset.main.getBounds().getCenter());
    var size = this.map.getSize(), panel = this.control.width();
    this.popup.options.maxHeight = Math.max(160, Math.min(380, size.y - 140));
    this.popup.options.maxWidth = Math.min(340, size.x - 60);
    this.popup.options.autoPanPaddingTopLeft = L.point(12, 60);
    this.popup.options.autoPanPaddingBottomRight = L.point(panel ? panel + 20 : 12, 24);
    this.popup.setLatLng(at).setContent(popupContent(asset, this)).openOn(this.map);
    return this.popup;
  };

  /* Bring an asset into view (out of its cluster) and open its popup: what search and the table do. */
  CatalogView.prototype.focus = function (asset) {
    var map = this.map;
    if (!asset.visible) { this.reveal(asset); }
    if (asset.markers.length) {
      var m = asset.markers[0];
      this.uncluster(m);
      this.openPopup(asset, m.getLatLng());
      return;
    }
    var shape = asset.shapes[asset.shapes.length - 1], lls = shape.getLatLngs();
    while (lls.length && !(lls[0] instanceof L.LatLng)) { lls = lls[0]; }
    map.fitBounds(shape.getBounds(), { padding: [40, 40], maxZoom: 12, animate: false });
    this.openPopup(asset, lls[Math.floor(lls.length / 2)]);
  };

  /* Zoom in until a clustered symbol stands alone; at the deepest zoom, spread its cluster out.
     (The cluster group redraws synchronously on an unanimated zoom.) */
  CatalogView.prototype.uncluster = function (m) {
    var map = this.map, cluster = this.cluster;
    if (!map.getBounds().contains(m.getLatLng())) { map.setView(m.getLatLng(), map.getZoom(), { animate: false }); }
    while (!map.hasLayer(m) && map.getZoom() < map.getMaxZoom()) {
      map.setView(m.getLatLng(), Math.min(map.getMaxZoom(), Math.max(map.getZoom() + 2, 9)), { animate: false });
    }
    var parent = cluster.getVisibleParent(m);
    if (!map.hasLayer(m) && parent && parent.spiderfy) { parent.spiderfy(); }
  };

  /* Tick whatever hides an asset (and leave the year) so it shows. */
  CatalogView.prototype.reveal = function (asset) {
    if (asset.effStatus === null) { this.setYear(null); }
    this.state.programme[asset.programme] = true;
    this.state.sector[asset.sector] = true;
    this.state.status[asset.effStatus] = true;
    this.control.sync();
    this.refresh();
  };

  CatalogView.prototype.setYear = function (year) {
    this.year = year;
    this.control.syncYear();
    this.refresh();
  };

  /* --- permalink: #programme=..&sector=..&status=..&year=..&map=zoom/lat/lon ---------------- */

  /* Written once things settle: browsers throttle (and tools track) every history.replaceState. */
  CatalogView.prototype.writeHash = function () {
    if (!this.ready) { return; }
    var view = this;
    clearTimeout(this._hashTimer);
    this._hashTimer = setTimeout(function () { view.writeHashNow(); }, 300);
  };

  CatalogView.prototype.writeHashNow = function () {
    var view = this, parts = [];
    GROUPS.forEach(function (g) {
      var on = view.values[g].filter(function (w) { return view.state[g][w] !== false; });
      if (on.length !== view.values[g].length) { parts.push(g + "=" + on.map(encodeURIComponent).join(",")); }
    });
    if (this.year !== null) { parts.push("year=" + this.year); }
    var c = this.map.getCenter();
    parts.push("map=" + this.map.getZoom() + "/" + c.lat.toFixed(4) + "/" + c.lng.toFixed(4));
    this._hash = "#" + parts.join("&");
    if (location.hash !== this._hash) { history.replaceState(null, "", this._hash); }
  };

  CatalogView.prototype.readHash = function () {
    var view = this, hash = location.hash.replace(/^#/, ""), view_ = null;
    if (!hash) { return false; }
    hash.split("&").forEach(function (pair) {
      var k = pair.split("=")[0], v = decodeURIComponent(pair.slice(k.length + 1));
      if (GROUPS.indexOf(k) >= 0) {
        var on = {};
        v.split(",").forEach(function (w) { on[w] = true; });
        view.values[k].forEach(function (w) { view.state[k][w] = !!on[w]; });
      } else if (k === "year" && /^\d{4}$/.test(v)) {
        view.year = +v;
      } else if (k === "map") {
        var z = v.split("/").map(Number);
        if (z.length === 3 && z.every(isFinite)) { view_ = z; }
      }
    });
    if (this.control) { this.control.sync(); this.control.syncYear(); }
    if (view_) { this.map.setView([view_[1], view_[2]], view_[0], { animate: false }); }
    return !!view_;
  };

  /* --- downloads --------------------------------------------------------------------------- */

  CatalogView.prototype.geojson = function () {
    var view = this, digits = this.data.precision;
    return {
      type: "FeatureCollection",
      features: this.shownAssets().map(function (a) {
        var props = L.extend({}, a.feature.properties);
        if (view.year !== null) { props.status = a.effStatus; props.status_in_year = view.year; }
        var g = decodeGeometry(a.kind, view.data.coords[a.i], view.scale);
        return { type: "Feature", geometry: { type: GEOJSON_TYPE[a.kind], coordinates: lonLats(g, digits) }, properties: props };
      })
    };
  };

  var CSV_FIELDS = ["id", "name", "sector", "subtype", "status", "programme", "province", "capacity_mw", "length_km",
    "cost_usd_m", "start_year", "completion_year", "status_as_of", "location_precision", "lon", "lat"];
  CatalogView.prototype.csv = function () {
    function cell(v) {
      if (v === null || v === undefined) { return ""; }
      var s = Array.isArray(v) ? v.join("; ") : String(v);
      return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    }
    var view = this, lines = [CSV_FIELDS.join(",")];
    this.shownAssets().forEach(function (a) {
      var p = a.feature.properties, at = a.main.getLatLng ? a.main.getLatLng() : a.main.getBounds().getCenter();
      var row = L.extend({}, p, { status: a.effStatus, lon: +at.lng.toFixed(5), lat: +at.lat.toFixed(5) });
      if (view.year === null) { row.status = p.status; }
      lines.push(CSV_FIELDS.map(function (f) { return cell(row[f]); }).join(","));
    });
    return "\ufeff" + lines.join("\r\n") + "\r\n";
  };

  CatalogView.prototype.download = function (format) {
    var text = format === "csv" ? this.csv() : JSON.stringify(this.geojson());
    var blob = new Blob([text], { type: format === "csv" ? "text/csv" : "application/geo+json" });
    var a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = slug(this.title) + (this.year !== null ? "-" + this.year : "") + (format === "csv" ? ".csv" : ".geojson");
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  };

  /* --- popups ------------------------------------------------------------------------------ */

  function humanise(text, words) {
    return String(text).replace(/\b[a-z]+(?:_[a-z]+)+\b|\bsubtype\b|\bexistence\b/g, function (w) { return words[w] || w.replace(/_/g, " "); });
  }

  function popupContent(asset, view) {
    var props = asset.feature.properties, style = view.style, words = style.fieldWords;
    var box = el("div", "cpec-popup");
    box.appendChild(el("h4", null, props.name));
    var kind = [style.labels.sector[props.sector]];
    if (props.subtype && style.labels.subtype[props.subtype]) { kind.push(style.labels.subtype[props.subtype]); }
    kind.push(style.labels.programme[asset.programme] || asset.programme);
    box.appendChild(el("div", "cpec-popup-kind", kind.join(" · ")));
    var table = el("table");
    function row(label, value) {
      var tr = el("tr");
      tr.appendChild(el("th", null, label));
      tr.appendChild(el("td", null, value));
      table.appendChild(tr);
    }
    if (view.year !== null) {
      row("Status in " + view.year, asset.effStatus ? style.labels.status[asset.effStatus] : "not yet begun");
    }
    style.popupFields.forEach(function (f) {
      var value = props[f[0]];
      if (f[0] === "sector" || f[0] === "subtype" || f[0] === "programme") { return; }
      if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) { return; }
      if (f[0] === "status") { value = style.labels.status[value] + (props.status_as_of ? " (as of " + props.status_as_of + ")" : ""); }
      else if (style.labels[f[0]] && style.labels[f[0]][value]) { value = style.labels[f[0]][value]; }
      else if (Array.isArray(value)) { value = value.join(", "); }
      else if (typeof value === "number" && !/_year$/.test(f[0])) { value = number(value, 1); }
      row(f[1], value);
    });
    box.appendChild(table);
    box.appendChild(el("h5", null, "Sources"));
    var list = el("ol", "cpec-sources");
    props.sources.forEach(function (s) {
      var li = el("li");
      var title = isWebUrl(s.url) ? el("a", null, s.title || s.url) : el("span", null, s.title || "Editors' note");
      if (isWebUrl(s.url)) {
        title.href = s.url;
        title.target = "_blank";
        title.rel = "noopener noreferrer";
      }
      li.appendChild(title);
      var by = [s.author, s.year].filter(function (v) { return v; }).join(", ");
      if (by) { li.appendChild(document.createTextNode(" - " + by)); }
      if (s.quote) { li.appendChild(el("q", null, s.quote)); }
      if (s.note) { li.appendChild(el("div", "cpec-source-note", humanise(s.note, words))); }
      if (s.supports && s.supports.length) {
        li.appendChild(el("div", "cpec-supports", "Supports: " + s.supports.map(function (w) { return words[w] || w.replace(/_/g, " "); }).join(", ")));
      }
      list.appendChild(li);
    });
    box.appendChild(list);
    if (props.notes) {
      box.appendChild(el("h5", null, "Notes"));
      box.appendChild(el("p", "cpec-notes", humanise(props.notes, words)));
    }
    (props.disputes || []).forEach(function (d) {
      var field = words[d.field] || String(d.field).replace(/_/g, " ");
      box.appendChild(el("p", "cpec-dispute", "Other sources give the " + field + " as " + d.value + " (" + d.source + ")" + (d.note ? ": " + humanise(d.note, words) : "")));
    });
    if (props.documents && props.documents.length) {
      box.appendChild(el("p", "cpec-documents", "Named in " + props.documents.length + " document" +
        (props.documents.length > 1 ? "s" : "") + ": " + props.documents.join(", ")));
    }
    if (props.mentions && props.mentions.length) {
      box.appendChild(el("h5", null, "Where the document names it"));
      var ul = el("ul", "cpec-mentions");
      props.mentions.forEach(function (m) { ul.appendChild(el("li", null, m)); });
      box.appendChild(ul);
    }
    if (props.aliases && props.aliases.length) {
      var details = el("details", "cpec-aka");
      details.appendChild(el("summary", null, "Also known as (" + props.aliases.length + ")"));
      var names = el("ul");
      props.aliases.forEach(function (a) { names.appendChild(el("li", null, a)); });
      details.appendChild(names);
      box.appendChild(details);
    }
    return box;
  }

  /* --- the panel: title, filters with live counts, legend, totals, year, actions, links ------- */

  var CatalogControl = L.Control.extend({
    options: { position: "topright" },
    initialize: function (view) { this._view = view; },
    onAdd: function (map) {
      var view = this._view, style = view.style, control = this;
      var box = el("div", "cpec-control");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Filters, legend and totals");
      var head = el("div", "cpec-head");
      var toggle = el("button", "cpec-toggle");
      toggle.type = "button";
      toggle.setAttribute("aria-controls", "cpec-panel-body");
      toggle.appendChild(el("span", "cpec-toggle-icon", "\u2630"));
      this._toggleText = el("span", "cpec-toggle-text", "Filters");
      toggle.appendChild(this._toggleText);
      toggle.addEventListener("click", function () { control.collapse(!control.collapsed); });
      head.appendChild(toggle);
      head.appendChild(el("h1", "cpec-title", view.title));
      box.appendChild(head);
      var body = el("div", "cpec-body");
      body.id = "cpec-panel-body";
      var date = el("div", "cpec-date", view.data.date ? "Catalog as of " + view.data.date : "");
      body.appendChild(date);
      this._boxes = {};
      this._counts = {};
      GROUPS.forEach(function (g) {
        if (!view.values[g].length) { return; }
        var fs = el("fieldset", "cpec-group");
        fs.setAttribute("data-group", g);
        fs.appendChild(el("legend", null, GROUP_TITLES[g]));
        view.values[g].forEach(function (value) {
          var label = el("label", "cpec-option"), input = el("input");
          input.type = "checkbox";
          input.checked = view.state[g][value] !== false;
          input.value = value;
          input.setAttribute("data-group", g);
          input.addEventListener("change", function () {
            view.state[g][value] = input.checked;
            view.refresh();
          });
          label.appendChild(input);
          label.appendChild(control.groupSymbol(g, value));
          label.appendChild(el("span", "cpec-label", style.labels[g][value] || value));
          var count = el("span", "cpec-count");
          label.appendChild(count);
          control._boxes[g + "/" + value] = input;
          control._counts[g + "/" + value] = count;
          fs.appendChild(label);
        });
        body.appendChild(fs);
      });
      if (view.data.years) { body.appendChild(this.yearSlider()); }
      body.appendChild(this.lineKey());
      this._totals = el("div", "cpec-totals");
      this._totals.setAttribute("aria-live", "polite");
      body.appendChild(this._totals);
      var actions = el("div", "cpec-actions");
      [["Table", function () { view.table.toggle(); }, "cpec-table-button"],
       ["GeoJSON", function () { view.download("geojson"); }, "cpec-download-geojson"],
       ["CSV", function () { view.download("csv"); }, "cpec-download-csv"]].forEach(function (b) {
        var button = el("button", b[2], b[0]);
        button.type = "button";
        if (b[0] !== "Table") { button.setAttribute("aria-label", "Download what is shown as " + b[0]); }
        button.addEventListener("click", b[1]);
        actions.appendChild(button);
      });
      this._tableButton = actions.firstChild;
      body.appendChild(actions);
      body.appendChild(this.links());
      box.appendChild(body);
      this._box = box;
      this._body = body;
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      this.collapse(map.getSize().x < NARROW);
      return box;
    },
    groupSymbol: function (g, value) {
      var style = this._view.style;
      if (g === "sector") { return symbolSvg(style.shapes[value], { fill: "#bbb", stroke: "#222" }); }
      if (g === "status") { return symbolSvg("circle", { fill: style.colours[value], stroke: "#222" }); }
      var prog = style.programmes[value] || style.programmes.CPEC;
      return symbolSvg("circle", { fill: prog.fill || "#777", stroke: prog.fill ? "#777" : "#222", weight: prog.weight, dash: prog.dash });
    },
    yearSlider: function () {
      var view = this._view, years = view.data.years, control = this;
      var fs = el("fieldset", "cpec-year");
      fs.appendChild(el("legend", null, "Year"));
      var row = el("div", "cpec-year-row");
      var play = el("button", "cpec-play", "\u25B6");
      play.type = "button";
      play.setAttribute("aria-label", "Play the years");
      var input = el("input");
      input.type = "range";
      input.min = years[0];
      input.max = years[1] + 1;
      input.step = 1;
      input.id = "cpec-year-input";
      input.setAttribute("aria-label", "Show the portfolio as at the end of year");
      var out = el("output", "cpec-year-value");
      out.setAttribute("for", input.id);
      input.addEventListener("input", function () {
        control.stop();
        view.setYear(+input.value > years[1] ? null : +input.value);
      });
      play.addEventListener("click", function () {
        if (control._timer) { control.stop(); return; }
        var y = view.year === null ? years[0] : view.year + 1;
        play.textContent = "\u275A\u275A";
        play.setAttribute("aria-label", "Pause");
        var step = function () {
          if (y > years[1]) { control.stop(); view.setYear(null); return; }
          view.setYear(y++);
        };
        step();
        control._timer = setInterval(step, 900);
      });
      row.appendChild(play);
      row.appendChild(input);
      row.appendChild(out);
      fs.appendChild(row);
      this._year = input;
      this._yearOut = out;
      this._play = play;
      this.syncYear();
      return fs;
    },
    stop: function () {
      if (this._timer) { clearInterval(this._timer); }
      this._timer = null;
      if (this._play) {
        this._play.textContent = "\u25B6";
        this._play.setAttribute("aria-label", "Play the years");
      }
    },
    syncYear: function () {
      if (!this._year) { return; }
      var view = this._view, years = view.data.years;
      this._year.value = view.year === null ? years[1] + 1 : view.year;
      this._yearOut.textContent = view.year === null ? "Today" : String(view.year);
      this._year.setAttribute("aria-valuetext", this._yearOut.textContent);
    },
    lineKey: function () {
      var style = this._view.style, key = el("div", "cpec-key");
      key.appendChild(el("div", "cpec-key-title", "Lines (colour: status)"));
      Object.keys(style.lines).forEach(function (k) {
        var row = el("div", "cpec-key-line");
        row.appendChild(symbolSvg(null, "#555", null, style.lines[k]));
        row.appendChild(el("span", null, style.lines[k].label));
        key.appendChild(row);
      });
      var area = el("div", "cpec-key-line");
      area.appendChild(el("span", "cpec-key-area"));
      area.appendChild(el("span", null, "Area (dashed edge: planned)"));
      key.appendChild(area);
      return key;
    },
    links: function () {
      var nav = el("nav", "cpec-links");
      nav.setAttribute("aria-label", "Other maps");
      (this._view.page.links || []).forEach(function (group) {
        var p = el("div", "cpec-link-group");
        p.appendChild(el("span", "cpec-link-title", group.group + ": "));
        group.items.forEach(function (item, k) {
          if (k) { p.appendChild(document.createTextNode(" · ")); }
          var a = el("a", null, item.text);
          a.href = item.href;
          if (item.current) { a.setAttribute("aria-current", "page"); }
          p.appendChild(a);
        });
        nav.appendChild(p);
      });
      return nav;
    },
    collapse: function (collapsed) {
      this.collapsed = collapsed;
      this._view.map.getContainer().classList.toggle("cpec-panel-open", !collapsed);
      this._box.classList.toggle("cpec-collapsed", collapsed);
      this._box.querySelector(".cpec-toggle").setAttribute("aria-expanded", String(!collapsed));
      this._box.querySelector(".cpec-toggle").setAttribute("aria-label", collapsed ? "Show filters and legend" : "Hide filters and legend");
    },
    width: function () { return this.collapsed ? 0 : this._box.offsetWidth; },
    sync: function () {
      var view = this._view, boxes = this._boxes;
      GROUPS.forEach(function (g) {
        view.values[g].forEach(function (w) { if (boxes[g + "/" + w]) { boxes[g + "/" + w].checked = view.state[g][w] !== false; } });
      });
    },
    update: function (counts, t) {
      var spans = this._counts;
      GROUPS.forEach(function (g) {
        Object.keys(counts[g]).forEach(function (w) { if (spans[g + "/" + w]) { spans[g + "/" + w].textContent = counts[g][w]; } });
      });
      var parts = [t.n + " of " + t.of + (t.of === 1 ? " asset" : " assets") + " shown"];
      if (t.mw) { parts.push(number(t.mw) + " MW"); }
      if (t.km) { parts.push(number(t.km) + " km"); }
      if (t.usd) { parts.push("USD " + number(t.usd) + " m"); }
      this._totals.textContent = parts.join(" · ");
      this._toggleText.textContent = "Filters (" + t.n + ")";
    }
  });

  /* --- search: forgiving, keyboard-driven, and it finds what the filters hide ---------------- */

  var SearchControl = L.Control.extend({
    options: { position: "topleft" },
    initialize: function (view) { this._view = view; this._active = -1; this._results = []; },
    onAdd: function () {
      var view = this._view, control = this;
      var box = el("div", "cpec-search");
      box.setAttribute("role", "search");
      var label = el("label", "cpec-visually-hidden", "Find an asset by name");
      label.setAttribute("for", "cpec-search-input");
      var input = el("input");
      input.type = "search";
      input.id = "cpec-search-input";
      input.placeholder = "Find an asset";
      input.autocomplete = "off";
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-autocomplete", "list");
      input.setAttribute("aria-controls", "cpec-search-results");
      input.setAttribute("aria-expanded", "false");
      var list = el("ul", "cpec-results");
      list.id = "cpec-search-results";
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", "Matching assets");
      var status = el("div", "cpec-search-status");
      status.setAttribute("role", "status");
      box.appendChild(label);
      box.appendChild(input);
      box.appendChild(status);
      box.appendChild(list);
      input.addEventListener("input", function () { control.run(); });
      input.addEventListener("focus", function () { if (view.narrow()) { view.control.collapse(true); } });
      input.addEventListener("keydown", function (e) {
        if (e.key === "ArrowDown" || e.key === "ArrowUp") {
          e.preventDefault();
          control.move(e.key === "ArrowDown" ? 1 : -1);
        } else if (e.key === "Enter") {
          e.preventDefault();
          if (control._results.length) { control.choose(control._results[Math.max(control._active, 0)]); }
        } else if (e.key === "Escape") {
          input.value = "";
          control.run();
        }
      });
      this._input = input;
      this._list = list;
      this._status = status;
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    },
    /* Best matches first: a name starting with the query, containing it, then within a few typos. */
    match: function (query) {
      var q = fold(query), view = this._view, found = [];
      if (!q) { return found; }
      var allowed = q.length >= 8 ? 2 : q.length >= 4 ? 1 : 0;
      view.assets.forEach(function (asset) {
        var p = asset.feature.properties, best = null;
        [p.name].concat(p.aliases || [], [p.id]).forEach(function (text, k) {
          var t = fold(text), score;
          if (!t) { return; }
          if (t.indexOf(q) === 0) { score = 0; }
          else if (t.indexOf(q) > 0) { score = 1; }
          else {
            if (!allowed) { return; }
            var d = substringDistance(q, t);
            if (d > allowed) { return; }
            score = 2 + d;
          }
          score += k ? 0.5 : 0;
          if (!best || score < best.score) { best = { asset: asset, score: score, via: k && k <= (p.aliases || []).length ? text : null }; }
        });
        if (best) { found.push(best); }
      });
      found.sort(function (a, b) { return a.score - b.score || (a.asset.feature.properties.name < b.asset.feature.properties.name ? -1 : 1); });
      return found.slice(0, 12);
    },
    run: function () {
      var control = this, view = this._view, query = this._input.value.trim();
      this._results = query ? this.match(query) : [];
      this._active = -1;
      var list = this._list;
      while (list.firstChild) { list.removeChild(list.firstChild); }
      this._results.forEach(function (r, k) {
        var p = r.asset.feature.properties, li = el("li", "cpec-result" + (r.asset.visible ? "" : " cpec-filtered"));
        li.id = "cpec-result-" + k;
        li.setAttribute("role", "option");
        li.setAttribute("data-id", p.id);
        li.appendChild(el("span", "cpec-result-name", p.name));
        var meta = el("span", "cpec-result-meta", view.describe(r.asset));
        li.appendChild(meta);
        if (r.via) { li.appendChild(el("span", "cpec-result-via", "also called " + r.via)); }
        if (!r.asset.visible) {
          li.appendChild(el("span", "cpec-result-hidden", r.asset.effStatus === null ? "not yet begun in " + view.year + ": choose to show it"
            : "filtered out: choose to show it"));
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        /* The list is rebuilt by the choice: a detached item would let the click reach the map and close the popup. */
        li.addEventListener("click", function (e) { e.stopPropagation(); control.choose(r); });
        list.appendChild(li);
      });
      this._input.setAttribute("aria-expanded", String(this._results.length > 0));
      this._input.removeAttribute("aria-activedescendant");
      this._status.textContent = !query ? "" : this._results.length ? this._results.length + (this._results.length === 1 ? " match" : " matches")
        : "No match for \u201c" + query + "\u201d";
      this._status.classList.toggle("cpec-no-match", !!query && !this._results.length);
    },
    rerun: function () { if (this._input && this._input.value.trim()) { this.run(); } },
    move: function (by) {
      var n = this._results.length;
      if (!n) { return; }
      this._active = (this._active + by + n) % n;
      var items = this._list.children;
      for (var k = 0; k < items.length; k++) { items[k].setAttribute("aria-selected", String(k === this._active)); }
      this._input.setAttribute("aria-activedescendant", "cpec-result-" + this._active);
      items[this._active].scrollIntoView({ block: "nearest" });
    },
    choose: function (result) {
      this._view.focus(result.asset);
      this._input.value = "";
      this.run();
    }
  });

  /* --- the table of what is shown ---------------------------------------------------------- */

  var COLUMNS = [["name", "Name"], ["sector", "Sector"], ["status", "Status"], ["province", "Province"],
    ["capacity_mw", "MW"], ["cost_usd_m", "Cost (USD m)"]];

  function AssetTable(view) {
    var table = this;
    this.view = view;
    this.sortKey = "name";
    this.sortDir = 1;
    this.isOpen = false;
    var box = this.box = el("section", "cpec-table");
    box.setAttribute("aria-label", "Table of the assets shown");
    box.hidden = true;
    var head = el("div", "cpec-table-head");
    this.caption = el("h2", null, "");
    head.appendChild(this.caption);
    var close = el("button", "cpec-table-close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "Close the table");
    close.addEventListener("click", function () { table.close(); });
    head.appendChild(close);
    box.appendChild(head);
    var scroller = el("div", "cpec-table-scroll");
    var t = el("table");
    var tr = el("tr");
    this.headers = {};
    COLUMNS.forEach(function (c) {
      var th = el("th");
      th.setAttribute("scope", "col");
      var b = el("button", null, c[1]);
      b.type = "button";
      b.setAttribute("data-sort", c[0]);
      b.addEventListener("click", function () {
        table.sortDir = table.sortKey === c[0] ? -table.sortDir : 1;
        table.sortKey = c[0];
        table.update();
      });
      th.appendChild(b);
      table.headers[c[0]] = th;
      tr.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(tr);
    t.appendChild(thead);
    this.tbody = el("tbody");
    t.appendChild(this.tbody);
    scroller.appendChild(t);
    box.appendChild(scroller);
    view.map.getContainer().appendChild(box);
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
  }
  AssetTable.prototype.toggle = function () { if (this.isOpen) { this.close(); } else { this.open(); } };
  AssetTable.prototype.open = function () {
    this.isOpen = true;
    this.box.hidden = false;
    if (this.view.narrow()) { this.view.control.collapse(true); }
    this.update();
    this.view.control._tableButton.setAttribute("aria-expanded", "true");
    this.caption.focus();
  };
  AssetTable.prototype.close = function () {
    this.isOpen = false;
    this.box.hidden = true;
    if (this.view.control._tableButton) { this.view.control._tableButton.setAttribute("aria-expanded", "false"); }
  };
  AssetTable.prototype.value = function (asset, key) {
    var p = asset.feature.properties, labels = this.view.style.labels;
    if (key === "sector") { return labels.sector[asset.sector]; }
    if (key === "status") { return labels.status[asset.effStatus] || ""; }
    if (key === "province") { return (p.province || []).join(", "); }
    return p[key] === undefined ? null : p[key];
  };
  AssetTable.prototype.update = function () {
    if (!this.isOpen) { return; }
    var table = this, key = this.sortKey, dir = this.sortDir, view = this.view;
    var rows = view.shownAssets().map(function (a) { return { asset: a, key: table.value(a, key) }; });
    rows.sort(function (a, b) {
      if (a.key === b.key) { return 0; }
      if (a.key === null || a.key === "") { return 1; }
      if (b.key === null || b.key === "") { return -1; }
      return (typeof a.key === "number" ? a.key - b.key : String(a.key).localeCompare(String(b.key))) * dir;
    });
    Object.keys(this.headers).forEach(function (k) {
      if (k === key) { table.headers[k].setAttribute("aria-sort", dir > 0 ? "ascending" : "descending"); }
      else { table.headers[k].removeAttribute("aria-sort"); }
    });
    this.caption.textContent = rows.length + (rows.length === 1 ? " asset" : " assets") + " shown";
    this.caption.tabIndex = -1;
    var body = this.tbody;
    while (body.firstChild) { body.removeChild(body.firstChild); }
    rows.forEach(function (r) {
      var tr = el("tr");
      tr.setAttribute("data-id", r.asset.feature.properties.id);
      COLUMNS.forEach(function (c, k) {
        var v = table.value(r.asset, c[0]);
        var td = el(k ? "td" : "th");
        if (!k) {
          td.setAttribute("scope", "row");
          var b = el("button", "cpec-row-open", v);
          b.type = "button";
          b.setAttribute("aria-label", "Show " + v + " on the map");
          td.appendChild(b);
        } else {
          td.textContent = typeof v === "number" ? number(v, 1) : v === null ? "" : v;
          if (typeof v === "number") { td.className = "cpec-num"; }
        }
        tr.appendChild(td);
      });
      tr.addEventListener("click", function (e) {
        e.stopPropagation();
        if (view.narrow()) { table.close(); }
        view.focus(r.asset);
      });
      body.appendChild(tr);
    });
  };

  /* The payload element holds gzip-compressed JSON in base64; the browser inflates it natively. */
  function inflate(text) {
    var binary = atob(text.trim()), bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
  }

  window.cpecMapper = window.cpecMapper || { views: [] };
  window.cpecMapper.show = function (map, data) {
    var view = new CatalogView(map, data);
    window.cpecMapper.views.push(view);
    return view;
  };
  window.cpecMapper.load = function (map, elementId) {
    var node = document.getElementById(elementId);
    return inflate(node.textContent).then(function (text) { return window.cpecMapper.show(map, JSON.parse(text)); })
      .catch(function (error) { console.error("cpec-map: cannot draw the catalog: " + error); throw error; });
  };
})();
