/* cpec-map: draws a cpec-mapper catalog payload on a Leaflet map.
 *
 * Features are shown when both their sector and their status are ticked (an AND of the two
 * filter groups, which Leaflet's own layer control cannot express). Every string from the data
 * reaches the page through textContent or attributes, never through innerHTML.
 */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";

  /* Corner points of each point symbol, on a unit circle; "circle" is drawn as an arc. */
  function polygonCorners(sides, rotation) {
    var pts = [];
    for (var i = 0; i < sides; i++) {
      var a = rotation + (2 * Math.PI * i) / sides;
      pts.push([Math.cos(a), Math.sin(a)]);
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
    triangle: polygonCorners(3, -Math.PI / 2).map(function (p) { return [p[0] * 1.2, p[1] * 1.2 + 0.2]; }),
    square: polygonCorners(4, Math.PI / 4),
    diamond: polygonCorners(4, 0).map(function (p) { return [p[0] * 1.2, p[1] * 1.2]; }),
    hexagon: polygonCorners(6, 0),
    pentagon: polygonCorners(5, -Math.PI / 2).map(function (p) { return [p[0] * 1.1, p[1] * 1.1]; }),
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

  /* A point drawn as its sector's symbol, and a line, by the SVG and the Canvas renderer alike. */
  var SymbolMarker = L.CircleMarker.extend({
    _batched: true,
    _updatePath: function () { this._renderer._updateSymbol(this); }
  });
  var CatalogLine = L.Polyline.extend({
    _batched: true,
    _updatePath: function () { this._renderer._updateLine(this); }
  });
  L.SVG.include({
    _updateSymbol: function (layer) {
      var p = layer._point;
      this._setPath(layer, layer._empty() ? "M0 0" : symbolPath(p.x, p.y, layer._radius, layer.options.shape));
    },
    _updateLine: function (layer) { this._updatePoly(layer, false); }
  });
  /* On a canvas, consecutive features of one style are drawn as one path with one fill and one
     stroke: setting the style for every one of thousands of features costs more than drawing them. */
  var leafletRedraw = L.Canvas.prototype._redraw, leafletRequestRedraw = L.Canvas.prototype._requestRedraw;
  var bulkCanvases = null; /* while adding or removing many features: the canvases to redraw whole */
  L.Canvas.include({
    _requestRedraw: function (layer) {
      if (bulkCanvases && this._map) {
        if (bulkCanvases.indexOf(this) < 0) { bulkCanvases.push(this); }
        return;
      }
      leafletRequestRedraw.call(this, layer);
    },
    /* A redraw done now makes a pending one redundant; Leaflet leaves it queued, so a fitted map
       with many features was drawn twice in its first frame. */
    _redraw: function () {
      if (this._redrawRequest) { L.Util.cancelAnimFrame(this._redrawRequest); }
      leafletRedraw.call(this);
    },
    _joinBatch: function (layer) {
      if (this._batch && this._batch.options.styleKey !== layer.options.styleKey) { this._flushBatch(); }
      if (!this._batch) {
        this._ctx.beginPath();
        this._batch = layer;
      }
      return this._ctx;
    },
    _updateLine: function (layer) {
      var parts = layer._parts;
      if (!this._drawing || !parts.length) { return; }
      var ctx = this._joinBatch(layer);
      for (var i = 0; i < parts.length; i++) {
        for (var j = 0; j < parts[i].length; j++) { ctx[j ? "lineTo" : "moveTo"](parts[i][j].x, parts[i][j].y); }
      }
    },
    _updateSymbol: function (layer) {
      if (!this._drawing || layer._empty()) { return; }
      var p = layer._point, ctx = this._joinBatch(layer), corners = CORNERS[layer.options.shape], r = layer._radius;
      if (corners) {
        for (var i = 0; i < corners.length; i++) { ctx[i ? "lineTo" : "moveTo"](p.x + corners[i][0] * r, p.y + corners[i][1] * r); }
        ctx.closePath();
      } else {
        ctx.moveTo(p.x + r, p.y);
        ctx.arc(p.x, p.y, r, 0, Math.PI * 2, false);
      }
    },
    _flushBatch: function () {
      if (this._batch) {
        this._fillStroke(this._ctx, this._batch);
        this._batch = null;
      }
    },
    /* Leaflet's draw loop, flushing the batch before anything else is drawn over it. */
    _draw: function () {
      var bounds = this._redrawBounds, ctx = this._ctx;
      ctx.save();
      if (bounds) {
        var size = bounds.getSize();
        ctx.beginPath();
        ctx.rect(bounds.min.x, bounds.min.y, size.x, size.y);
        ctx.clip();
      }
      this._drawing = true;
      for (var order = this._drawFirst; order; order = order.next) {
        var layer = order.layer;
        if (bounds && !(layer._pxBounds && layer._pxBounds.intersects(bounds))) { continue; }
        if (!layer._batched) { this._flushBatch(); }
        layer._updatePath();
      }
      this._flushBatch();
      this._drawing = false;
      ctx.restore();
    }
  });

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
  /* geometry kinds: 0 Point, 1 LineString, 2 MultiLineString, 3 Polygon, 4 MultiPolygon */
  function decodeGeometry(kind, c, scale) {
    if (kind === 0) { return L.latLng(c[1] / scale, c[0] / scale); }
    return decodeNested(c, [0, 0, 1, 1, 2][kind], scale);
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
    props.sources = (props.sources || []).map(function (s) { return data.sources[s]; });
    props.search = [props.name].concat(props.aliases || []).join(" | ");
    return props;
  }

  /* A GeoJSON-like feature whose properties are decoded on first use (popup, search, tests),
     not for every feature at load. */
  function LazyFeature(data, i) {
    this._data = data;
    this._row = i;
    this._props = null;
  }
  LazyFeature.prototype.type = "Feature";
  Object.defineProperty(LazyFeature.prototype, "properties", {
    get: function () { return this._props || (this._props = featureProperties(this._data, this._row)); }
  });

  /* --- DOM helpers: text only ------------------------------------------------------------ */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function isWebUrl(url) { return typeof url === "string" && /^https?:\/\//i.test(url); }

  function symbolSvg(shape, fill, dashed, line) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("width", "22");
    svg.setAttribute("height", "16");
    svg.setAttribute("class", "cpec-symbol");
    var path = document.createElementNS(SVG_NS, "path");
    if (line) {
      path.setAttribute("d", "M1,8L21,8");
      path.setAttribute("stroke", fill);
      path.setAttribute("stroke-width", "4");
      if (dashed) { path.setAttribute("stroke-dasharray", "5 3"); }
    } else {
      path.setAttribute("d", symbolPath(11, 8, 6, shape));
      path.setAttribute("fill", fill);
      path.setAttribute("stroke", "#222");
    }
    svg.appendChild(path);
    return svg;
  }

  /* --- popups ------------------------------------------------------------------------------ */

  function popupContent(props, style) {
    var box = el("div", "cpec-popup");
    box.appendChild(el("h4", null, props.name));
    if (props.aliases && props.aliases.length) {
      box.appendChild(el("div", "cpec-aka", "Also: " + props.aliases.join("; ")));
    }
    var table = el("table");
    style.popupFields.forEach(function (f) {
      var value = props[f[0]];
      if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) { return; }
      if (f[0] === "status") { value = style.labels.status[value] + (props.status_as_of ? " (as of " + props.status_as_of + ")" : ""); }
      else if (style.labels[f[0]] && style.labels[f[0]][value]) { value = style.labels[f[0]][value]; }
      else if (Array.isArray(value)) { value = value.join(", "); }
      else if (typeof value === "number" && !/_year$/.test(f[0])) { value = value.toLocaleString("en"); }
      var row = el("tr");
      row.appendChild(el("th", null, f[1]));
      row.appendChild(el("td", null, value));
      table.appendChild(row);
    });
    box.appendChild(table);
    if (props.notes) { box.appendChild(el("p", "cpec-notes", props.notes)); }
    (props.disputes || []).forEach(function (d) {
      box.appendChild(el("p", "cpec-dispute", "Disputed " + d.field + ": " + d.value + " (" + d.source + ")" + (d.note ? " - " + d.note : "")));
    });
    if (props.mentions && props.mentions.length) {
      box.appendChild(el("h5", null, "Where the document names it"));
      var ul = el("ul", "cpec-mentions");
      props.mentions.forEach(function (m) { ul.appendChild(el("li", null, m)); });
      box.appendChild(ul);
    }
    box.appendChild(el("h5", null, "Sources"));
    var list = el("ol", "cpec-sources");
    props.sources.forEach(function (s) {
      var li = el("li");
      var title = isWebUrl(s.url) ? el("a", null, s.title) : el("span", null, s.title);
      if (isWebUrl(s.url)) {
        title.href = s.url;
        title.target = "_blank";
        title.rel = "noopener noreferrer";
      }
      li.appendChild(title);
      li.appendChild(document.createTextNode(" - " + [s.author, s.year].filter(function (v) { return v; }).join(", ")));
      if (s.quote) { li.appendChild(el("q", null, s.quote)); }
      if (s.note) { li.appendChild(el("div", "cpec-source-note", s.note)); }
      if (s.supports && s.supports.length) { li.appendChild(el("div", "cpec-supports", "Supports: " + s.supports.join(", "))); }
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }

  /* --- the control: filters and legend in one ---------------------------------------------- */

  function groupBox(title, group, values, counts, style, onChange) {
    var fieldset = el("fieldset", "cpec-group");
    fieldset.setAttribute("data-group", group);
    fieldset.appendChild(el("legend", null, title));
    values.forEach(function (value) {
      if (!counts[value]) { return; }
      var label = el("label", "cpec-option");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = value;
      box.setAttribute("data-group", group);
      box.addEventListener("change", onChange);
      label.appendChild(box);
      label.appendChild(group === "sector"
        ? symbolSvg(style.shapes[value], "#bbb")
        : symbolSvg("circle", style.colours[value]));
      label.appendChild(el("span", "cpec-label", style.labels[group][value]));
      label.appendChild(el("span", "cpec-count", counts[value]));
      fieldset.appendChild(label);
    });
    return fieldset;
  }

  var CatalogControl = L.Control.extend({
    options: { position: "topright" },
    initialize: function (view, options) { this._view = view; L.setOptions(this, options); },
    onAdd: function () {
      var view = this._view, style = view.style;
      var box = el("div", "cpec-control leaflet-bar");
      box.appendChild(el("div", "cpec-title", view.title));
      var change = function () { view.applyFilter(); };
      box.appendChild(groupBox("Sector", "sector", style.order.sector, view.totals.sector, style, change));
      box.appendChild(groupBox("Status", "status", style.order.status, view.totals.status, style, change));
      var key = el("div", "cpec-key");
      var solid = el("div");
      solid.appendChild(symbolSvg(null, "#555", false, true));
      solid.appendChild(el("span", null, "built or being built"));
      var dashed = el("div");
      dashed.appendChild(symbolSvg(null, "#555", true, true));
      dashed.appendChild(el("span", null, "planned"));
      key.appendChild(solid);
      key.appendChild(dashed);
      box.appendChild(key);
      this._shown = el("div", "cpec-shown");
      box.appendChild(this._shown);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      this._box = box;
      return box;
    },
    ticked: function (group) {
      var on = {};
      this._box.querySelectorAll('input[data-group="' + group + '"]').forEach(function (b) { on[b.value] = b.checked; });
      return on;
    },
    setShown: function (shown, total) { this._shown.textContent = shown + " of " + total + " assets shown"; }
  });

  /* --- the view ---------------------------------------------------------------------------- */

  function CatalogView(map, data) {
    var style = data.style, scale = Math.pow(10, data.precision), view = this;
    this.map = map;
    this.style = style;
    this.title = data.title;
    /* One tooltip and one popup serve every feature: binding them per layer costs more than drawing. */
    this.shown = L.featureGroup().addTo(map);
    this.shown.bindTooltip(function (layer) { return el("span", null, layer.feature.properties.name); }, { sticky: true });
    this.shown.on("click", function (e) { view.openPopup(e.layer, e.latlng); });
    this.popup = L.popup({ maxWidth: 360, maxHeight: 380 });
    this.layers = [];
    this.totals = { sector: {}, status: {} };
    /* Fit the view before any feature is added, so each is projected once, not again on the reset. */
    if (data.bounds) {
      map.fitBounds([[data.bounds[1], data.bounds[0]], [data.bounds[3], data.bounds[2]]], { padding: [24, 24], maxZoom: 11, animate: false });
    }
    var n = data.columns.id.length, sectors = data.columns.sector, statuses = data.columns.status;
    for (var i = 0; i < n; i++) {
      var sector = data.dict.sector[sectors[i]], status = data.dict.status[statuses[i]], kind = data.kinds[i];
      var colour = style.colours[status], planned = status === "planned";
      var geometry = decodeGeometry(kind, data.coords[i], scale), layer;
      if (kind === 0) {
        layer = new SymbolMarker(geometry, {
          radius: 7, shape: style.shapes[sector], color: "#222", weight: 1, fillColor: colour, fillOpacity: 0.95,
          fillRule: "nonzero", styleKey: sector + "/" + status
        });
      } else if (kind <= 2) {
        layer = new CatalogLine(geometry, {
          color: colour, weight: style.lineWeights[sector] || 4, opacity: 0.9, dashArray: planned ? "10 7" : null,
          styleKey: sector + "/" + status
        });
      } else {
        layer = L.polygon(geometry, { color: colour, weight: 2, fillColor: colour, fillOpacity: 0.3, dashArray: planned ? "6 5" : null });
      }
      layer.feature = new LazyFeature(data, i);
      layer.cpec = { sector: sector, status: status };
      layer.cpecKind = kind === 0 ? "point" : kind <= 2 ? "line" : "polygon";
      this.layers.push(layer);
      this.totals.sector[sector] = (this.totals.sector[sector] || 0) + 1;
      this.totals.status[status] = (this.totals.status[status] || 0) + 1;
    }
    this.control = new CatalogControl(this).addTo(map);
    this.applyFilter();
    if (L.Control.Search) { this.addSearch(); }
  }

  CatalogView.prototype.applyFilter = function () {
    var sectors = this.control.ticked("sector"), statuses = this.control.ticked("status"), shown = this.shown, count = 0;
    /* One full redraw afterwards is cheaper than tracking the bounds of every feature added or removed. */
    bulkCanvases = [];
    this.layers.forEach(function (layer) {
      var visible = sectors[layer.cpec.sector] && statuses[layer.cpec.status];
      if (visible) {
        count++;
        if (!shown.hasLayer(layer)) { shown.addLayer(layer); }
      } else if (shown.hasLayer(layer)) {
        shown.removeLayer(layer);
      }
    });
    var canvases = bulkCanvases;
    bulkCanvases = null;
    canvases.forEach(function (canvas) {
      canvas._redrawBounds = null;
      canvas._redrawRequest = canvas._redrawRequest || L.Util.requestAnimFrame(canvas._redraw, canvas);
    });
    this.control.setShown(count, this.layers.length);
  };

  /* Open the popup of one feature (a layer, or its id), at latlng or at the feature itself. */
  CatalogView.prototype.openPopup = function (layer, latlng) {
    if (typeof layer === "string") {
      layer = this.layers.filter(function (l) { return l.feature.properties.id === layer; })[0];
    }
    var at = latlng || (layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter());
    this.popup.setLatLng(at).setContent(popupContent(layer.feature.properties, this.style)).openOn(this.map);
    return this.popup;
  };

  /* Counts of what Leaflet itself has on the map, by kind: what tests compare with the data. */
  CatalogView.prototype.visible = function () {
    var counts = { point: 0, line: 0, polygon: 0, ids: [] }, map = this.map;
    this.layers.forEach(function (layer) {
      if (map.hasLayer(layer)) {
        counts[layer.cpecKind]++;
        counts.ids.push(layer.feature.properties.id);
      }
    });
    return counts;
  };

  CatalogView.prototype.addSearch = function () {
    var search = new L.Control.Search({
      layer: this.shown,
      propertyName: "search",
      initial: false,
      marker: false,
      zoom: 11,
      textPlaceholder: "Find an asset by name",
      position: "topleft",
      buildTip: function (text) { return el("li", null, text); }
    });
    var view = this;
    search.on("search:locationfound", function (e) { if (e.layer) { view.openPopup(e.layer); } });
    this.map.addControl(search);
    this.search = search;
  };

  window.cpecMapper = window.cpecMapper || { views: [] };
  window.cpecMapper.show = function (map, data) {
    var view = new CatalogView(map, data);
    window.cpecMapper.views.push(view);
    return view;
  };
})();
