// Frequency response of host/io/resample (a bench, not a test): passband gain
// of a tone (least-squares amplitude over the middle half) and the RMS of what
// a tone above the new Nyquist leaves behind, for 22.05/44.1/48 kHz -> 16 kHz.
//
//   g++ -O2 -std=c++17 -I. bench/resample_response.cc host/io/resample.cc -o /tmp/rs && /tmp/rs
#include "host/io/resample.h"
#include <cmath>
#include <cstdio>
#include <vector>
using namespace mote::host;
double Amp(const std::vector<float>& y, double f, int r){ // LS amplitude over middle half
  size_t a=y.size()/4,b=3*y.size()/4; double ss=0,cc=0,sc=0,ys=0,yc=0;
  for(size_t i=a;i<b;++i){double s=sin(2*M_PI*f*i/r),c=cos(2*M_PI*f*i/r);ss+=s*s;cc+=c*c;sc+=s*c;ys+=y[i]*s;yc+=y[i]*c;}
  double d=ss*cc-sc*sc; return hypot((ys*cc-yc*sc)/d,(yc*ss-ys*sc)/d);}
double RmsMid(const std::vector<float>& y){double s=0;size_t a=y.size()/4,b=3*y.size()/4;for(size_t i=a;i<b;++i)s+=y[i]*y[i];return sqrt(s/(b-a));}
int main(){
  for(int from : {22050, 44100, 48000}) {
    printf("%d->16000: passband gain dB:", from);
    for(double f: {1000., 4000., 6000., 6500., 7000., 7500.}){ std::vector<float> x(from); for(int i=0;i<from;++i) x[i]=0.5*sin(2*M_PI*f*i/from);
      auto y=Resample(x,from,16000); printf(" %.0f:%+.4f", f, 20*log10(Amp(y,f,16000)/0.5)); }
    printf("\n  stopband (alias RMS rel. input RMS) dB:");
    for(double f: {8500., 9000., 10000., 12000., 20000.}){ if (f >= from/2) continue; std::vector<float> x(from); for(int i=0;i<from;++i) x[i]=0.5*sin(2*M_PI*f*i/from);
      auto y=Resample(x,from,16000); printf(" %.0f:%.1f", f, 20*log10(RmsMid(y)/(0.5/sqrt(2)))); }
    printf("\n");
  }
}
