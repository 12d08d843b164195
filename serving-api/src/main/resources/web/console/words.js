// The console speaks the shop's language: reason codes and segment facts in plain words.
window.SK_WORDS = {
  reasons: {
    exit_at_price: 'left quickly after seeing a full price, with nothing in the cart',
    cart_abandoned_at_total: 'left the checkout when the total was shown, without ordering',
    sort_price_asc: 'sorted products by price, cheapest first',
    coupon_search: 'searched for coupons, sales or cheap deals',
    compares_similar_items: 'compared similar items at clearly different prices',
    removes_after_total: 'removed items from the cart after seeing the total',
    returns_on_price_drop: 'came back to an item after its price dropped',
    discount_share_high: 'buys mostly items on discount',
    coupon_share_high: 'pays with a coupon on most orders',
    buys_low_price_band: 'pays well below the usual price in the category',
    wandering_across_categories: 'looks at many unrelated categories without adding anything to the cart',
    searches_without_results: 'searches that find nothing',
    searches_without_click: 'searches that lead nowhere',
    aimless_navigation: 'goes back and forth between pages without looking at products',
    short_dwell: 'looks at most products for only a few seconds',
    interest_drift: 'lately interested in categories the profile barely knows'
  },
  lifecycle: {
    'new': 'new (first 30 days)', active: 'active', at_risk: 'at risk (30 days quiet)',
    lapsed: 'lapsed (90 days quiet)', won_back: 'won back (returned after lapsing)'
  },
  recommendationReasons: {
    because_you_viewed: 'because they viewed', similar_to: 'similar to', bought_together: 'bought together with',
    trending_in: 'trending in category', trending: 'trending now', personalized: 'picked for them', pinned: 'pinned by the shop'
  },
  reason: function (code) { return this.reasons[code] || code.replace(/_/g, ' '); },
  recReason: function (r) {
    if (!r) return '';
    var i = r.indexOf(':');
    var code = i < 0 ? r : r.slice(0, i);
    var word = this.recommendationReasons[code] || code.replace(/_/g, ' ');
    return i < 0 ? word : word + ' ' + r.slice(i + 1);
  }
};
